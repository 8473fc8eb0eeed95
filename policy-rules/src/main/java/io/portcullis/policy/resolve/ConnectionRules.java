package io.portcullis.policy.resolve;

import io.portcullis.policy.http.HttpRequestView;
import io.portcullis.policy.kafka.KafkaRequestView;
import java.util.List;

/**
 * The compiled rules for one connection: source egress combined with destination ingress.
 * Immutable and safe to share; a decision compiles nothing and allocates little.
 */
public interface ConnectionRules {
    L4Verdict l4();

    /**
     * When the connection passes at L3/L4 only because a denying direction is in audit mode, that
     * denial (audited); null otherwise. The default is for test doubles without audit.
     */
    default Decision l4Audit() {
        return null;
    }

    /**
     * These rules with the denials of the source's egress audited by {@code egress} and of the
     * destination's ingress by {@code ingress} (the endpoint or node switches); {@link Audit#NONE}
     * changes nothing. The default is for test doubles without audit.
     */
    default ConnectionRules withAudit(Audit egress, Audit ingress) {
        return this;
    }

    Decision decideHttp(HttpRequestView request);

    /**
     * Judges one Kafka request: allowed when the L4 verdict is ALLOWED, or when every direction
     * with L7 rules has a Kafka rule that allows it. Rules OR, the fields of one rule AND, and a
     * request naming several topics passes only if each of its topics is allowed by some rule (a
     * request naming none needs a rule whose header fields match). The default denies: it is for
     * test doubles that judge HTTP only.
     */
    default Decision decideKafka(KafkaRequestView request) {
        return new Decision(false, null, null, "no Kafka rules", List.of());
    }

    /**
     * Whether the connection is judged at L7 and every direction that judges it has Kafka rules:
     * the port is a Kafka port and other protocols are refused on it.
     */
    default boolean kafkaPort() {
        return false;
    }

    /**
     * Whether the connection is judged at L7 and every direction that judges it has HTTP or gRPC
     * rules: the port is an HTTP port and Kafka is refused on it.
     */
    default boolean httpPort() {
        return false;
    }

    /**
     * Whether some Kafka rule of the connection names a topic: requests may then have to show
     * their topic names, so the proxy keeps them visible (topic names rather than IDs, no fetch
     * sessions).
     */
    default boolean kafkaTopicRules() {
        return false;
    }

    /**
     * The L7 rule sets that judge requests in {@code direction} (empty when that direction does
     * not use L7 rules for this connection). Kafka enforcement reads its rules from here. The
     * default is for test doubles that only need {@link #l4()} and {@link #decideHttp}.
     */
    default List<L7RuleSet> l7RuleSets(Direction direction) {
        return List.of();
    }
}
