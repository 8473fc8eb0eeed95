package io.portcullis.policy.resolve;

import io.portcullis.policy.http.HttpRequestView;
import java.util.List;

/**
 * The compiled rules for one connection: source egress combined with destination ingress.
 * Immutable and safe to share; a decision compiles nothing and allocates little.
 */
public interface ConnectionRules {
    L4Verdict l4();

    Decision decideHttp(HttpRequestView request);

    /**
     * The L7 rule sets that judge requests in {@code direction} (empty when that direction does
     * not use L7 rules for this connection). Kafka enforcement reads its rules from here. The
     * default is for test doubles that only need {@link #l4()} and {@link #decideHttp}.
     */
    default List<L7RuleSet> l7RuleSets(Direction direction) {
        return List.of();
    }
}
