package io.portcullis.policy.resolve;

import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.model.PeerRule;
import io.portcullis.policy.model.Policy;
import io.portcullis.policy.model.PolicySpec;
import io.portcullis.policy.model.PortRule;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges one direction of a connection against a set of policies, with Cilium's semantics:
 * a subject selected by any rule for a direction is default-deny in it; deny rules beat allow
 * rules; a plain L3/L4 allow for the peer and port makes L7 rules on that port moot; L7 rules
 * only apply to TCP. Works from labels, so identities allocated after compilation are handled.
 */
public final class PolicyEvaluator {
    private final List<Policy> policies;

    public PolicyEvaluator(List<Policy> policies) {
        this.policies = List.copyOf(policies);
    }

    public List<Policy> policies() {
        return policies;
    }

    /**
     * @param subject the identity whose {@code direction} rules apply (destination for ingress)
     * @param peer    the other end of the connection
     */
    public DirectionResult evaluate(Direction direction, Identity subject, Identity peer, int port,
                                    Protocol protocol) {
        List<String> selectedBy = new ArrayList<>();
        Hit deny = null;
        Hit allow = null;
        List<L7RuleSet> l7 = new ArrayList<>();
        for (Policy policy : policies) {
            for (PolicySpec spec : policy.specs()) {
                List<PeerRule> allows = direction == Direction.INGRESS ? spec.ingress() : spec.egress();
                List<PeerRule> denies = direction == Direction.INGRESS ? spec.ingressDeny() : spec.egressDeny();
                if ((allows.isEmpty() && denies.isEmpty()) || !Selection.selects(spec.endpointSelector(), subject)) {
                    continue;
                }
                if (!selectedBy.contains(policy.name())) {
                    selectedBy.add(policy.name());
                }
                for (PeerRule rule : denies) {
                    String path = coveringPath(rule, peer, port, protocol, null, policy.name());
                    if (deny == null && path != null) {
                        deny = new Hit(policy.name(), path);
                    }
                }
                for (PeerRule rule : allows) {
                    String path = coveringPath(rule, peer, port, protocol, l7, policy.name());
                    if (allow == null && path != null) {
                        allow = new Hit(policy.name(), path);
                    }
                }
            }
        }
        return result(direction, subject, peer, port, protocol, selectedBy, deny, allow, l7);
    }

    /**
     * The path of the part of {@code rule} that plainly covers the peer and port, or null. Port
     * rules with L7 rules that cover them are added to {@code l7} instead (TCP only).
     */
    private static String coveringPath(PeerRule rule, Identity peer, int port, Protocol protocol,
                                       List<L7RuleSet> l7, String policy) {
        if (!Selection.coversPeer(rule, peer)) {
            return null;
        }
        if (rule.toPorts().isEmpty()) {
            // Peers without ports: every port. Neither peers nor ports ({}): nothing.
            return rule.namesPeers() ? rule.path() : null;
        }
        String plain = null;
        for (PortRule portRule : rule.toPorts()) {
            if (!portRule.covers(port, protocol)) {
                continue;
            }
            if (portRule.rules().isEmpty()) {
                plain = plain == null ? portRule.path() : plain;
            } else if (protocol == Protocol.TCP && l7 != null) {
                l7.add(L7RuleSet.of(policy, portRule));
            }
        }
        return plain;
    }

    private static DirectionResult result(Direction direction, Identity subject, Identity peer, int port,
                                          Protocol protocol, List<String> selectedBy, Hit deny, Hit allow,
                                          List<L7RuleSet> l7) {
        String side = direction.wire();
        if (selectedBy.isEmpty()) {
            return new DirectionResult(direction, subject, peer, DirectionResult.Outcome.NOT_SELECTED, null, null,
                    "no policy selects " + subject.describe() + " for " + side + ", so " + side
                            + " is not enforced", selectedBy, l7);
        }
        if (deny != null) {
            return new DirectionResult(direction, subject, peer, DirectionResult.Outcome.DENIED, deny.policy,
                    deny.path, "denied by " + side + "Deny: policy \"" + deny.policy + "\" " + deny.path, selectedBy, l7);
        }
        if (allow != null) {
            String moot = l7.isEmpty() ? "" : "; L7 rules of " + describe(l7) + " do not apply to this peer";
            return new DirectionResult(direction, subject, peer, DirectionResult.Outcome.ALLOWED, allow.policy,
                    allow.path, "allowed by policy \"" + allow.policy + "\" " + allow.path + moot, selectedBy, l7);
        }
        if (!l7.isEmpty()) {
            return new DirectionResult(direction, subject, peer, DirectionResult.Outcome.L7, l7.get(0).policy(),
                    l7.get(0).path(), "requests on port " + port + "/" + protocol + " are judged by the L7 rules of "
                            + describe(l7), selectedBy, l7);
        }
        return new DirectionResult(direction, subject, peer, DirectionResult.Outcome.DEFAULT_DENIED,
                selectedBy.get(0), null, side + " is default-deny for " + subject.describe() + " (selected by "
                        + quoted(selectedBy) + "): no rule allows " + peer.describe() + " on port " + port + "/"
                        + protocol, selectedBy, l7);
    }

    static String describe(List<L7RuleSet> sets) {
        StringBuilder out = new StringBuilder();
        for (L7RuleSet set : sets) {
            out.append(out.length() == 0 ? "" : ", ").append("policy \"").append(set.policy()).append("\" ")
                    .append(set.path());
        }
        return out.toString();
    }

    private static String quoted(List<String> names) {
        StringBuilder out = new StringBuilder(names.size() == 1 ? "policy " : "policies ");
        for (int i = 0; i < names.size(); i++) {
            out.append(i == 0 ? "" : ", ").append('"').append(names.get(i)).append('"');
        }
        return out.toString();
    }

    private record Hit(String policy, String path) {
    }
}
