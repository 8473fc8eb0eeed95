package io.portcullis.proxy.testing;

import io.portcullis.policy.http.HttpRequestView;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.model.HeaderAction;
import io.portcullis.policy.model.HttpRule;
import io.portcullis.policy.model.Protocol;
import io.portcullis.policy.resolve.Audit;
import io.portcullis.policy.resolve.ConnectionRules;
import io.portcullis.policy.resolve.Decision;
import io.portcullis.policy.resolve.Direction;
import io.portcullis.policy.resolve.L4Verdict;
import io.portcullis.policy.resolve.PolicySnapshot;

import java.util.List;
import java.util.function.Function;

/**
 * Test policy: paths starting with {@code /deny} are denied by "deny-policy" (ingress), those
 * starting with {@code /audit} too but forwarded in audit mode, paths
 * starting with {@code /actions} carry header actions, the rest is allowed by "allow-policy"
 * (egress); or {@link #rules} judges with real HTTP rules.
 */
public final class FakePolicy implements PolicySnapshot {
    private final long revision;
    private final L4Verdict l4;
    private final Function<HttpRequestView, Decision> http;

    public FakePolicy(long revision, L4Verdict l4) {
        this(revision, l4, FakePolicy::byPath);
    }

    private FakePolicy(long revision, L4Verdict l4, Function<HttpRequestView, Decision> http) {
        this.revision = revision;
        this.l4 = l4;
        this.http = http;
    }

    public static FakePolicy l7() {
        return new FakePolicy(1, L4Verdict.L7);
    }

    /** L7 with real rules: a request is allowed when one of {@code rules} matches it. */
    public static FakePolicy rules(List<HttpRule> rules) {
        return new FakePolicy(1, L4Verdict.L7, r -> {
            for (HttpRule rule : rules) {
                if (rule.matches(r)) {
                    return new Decision(true, "allow-policy", Direction.INGRESS, rule.path(), List.of());
                }
            }
            return new Decision(false, "deny-policy", Direction.INGRESS, "no rule matched", List.of());
        });
    }

    @Override
    public long revision() {
        return revision;
    }

    @Override
    public ConnectionRules connection(Identity source, Identity destination, int port, Protocol protocol) {
        return new ConnectionRules() {
            @Override
            public L4Verdict l4() {
                return l4;
            }

            @Override
            public Decision decideHttp(HttpRequestView r) {
                return http.apply(r);
            }
        };
    }

    private static Decision byPath(HttpRequestView r) {
        if (r.path().startsWith("/deny")) {
            return new Decision(false, "deny-policy", Direction.INGRESS, "no rule matched", List.of());
        }
        if (r.path().startsWith("/audit")) {
            return new Decision(false, "deny-policy", Direction.INGRESS, "audit: no rule matched; forwarded because the"
                    + " destination endpoint is in audit mode", List.of(), Audit.ENDPOINT);
        }
        if (r.path().startsWith("/actions")) {
            return new Decision(true, "allow-policy", Direction.EGRESS, "rule 0", List.of(
                    new HeaderAction(HeaderAction.Kind.ADD, "X-Added", "yes"),
                    new HeaderAction(HeaderAction.Kind.ADD, "X-Present", "not-replaced"),
                    new HeaderAction(HeaderAction.Kind.DELETE, "X-Secret", ""),
                    new HeaderAction(HeaderAction.Kind.REPLACE, "X-Token", "new"),
                    new HeaderAction(HeaderAction.Kind.LOG, "X-Audit", "")));
        }
        return new Decision(true, "allow-policy", Direction.EGRESS, "rule 0", List.of());
    }
}
