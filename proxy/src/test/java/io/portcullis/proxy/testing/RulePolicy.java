package io.portcullis.proxy.testing;

import io.portcullis.policy.http.HttpRequestView;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.model.HttpRule;
import io.portcullis.policy.model.Protocol;
import io.portcullis.policy.resolve.ConnectionRules;
import io.portcullis.policy.resolve.Decision;
import io.portcullis.policy.resolve.Direction;
import io.portcullis.policy.resolve.L4Verdict;
import io.portcullis.policy.resolve.PolicySnapshot;

import java.util.List;

/** Test policy judging HTTP with real {@link HttpRule}s: a request is allowed when one matches. */
public final class RulePolicy implements PolicySnapshot {
    private final List<HttpRule> rules;

    public RulePolicy(List<HttpRule> rules) {
        this.rules = List.copyOf(rules);
    }

    @Override
    public long revision() {
        return 1;
    }

    @Override
    public ConnectionRules connection(Identity source, Identity destination, int port, Protocol protocol) {
        return new ConnectionRules() {
            @Override
            public L4Verdict l4() {
                return L4Verdict.L7;
            }

            @Override
            public Decision decideHttp(HttpRequestView request) {
                for (HttpRule rule : rules) {
                    if (rule.matches(request)) {
                        return new Decision(true, "rule-policy", Direction.INGRESS, rule.path(), List.of());
                    }
                }
                return new Decision(false, "rule-policy", Direction.INGRESS, "no rule matched", List.of());
            }
        };
    }
}
