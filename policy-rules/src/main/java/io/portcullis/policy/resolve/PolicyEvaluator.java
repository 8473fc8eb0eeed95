package io.portcullis.policy.resolve;

import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.model.EndpointSelector;
import io.portcullis.policy.model.PeerRule;
import io.portcullis.policy.model.Policy;
import io.portcullis.policy.model.PolicySpec;
import io.portcullis.policy.model.PortNames;
import io.portcullis.policy.model.PortRule;
import io.portcullis.policy.model.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Judges one direction of a connection against a set of policies, with Cilium's semantics: a
 * subject selected by a rule for a direction is default-deny in it unless every such rule says
 * {@code enableDefaultDeny: false} for it; deny rules beat allow rules; a plain L3/L4 allow for
 * the peer and port makes L7 rules on that port moot; L7 rules only apply to TCP and apply even
 * where the direction is not default-deny. {@code fromRequires}/{@code toRequires} of every rule
 * selecting the subject narrow the endpoint peers of all of them (allow and deny rules apart).
 * Named ports are resolved against the subject on ingress and the peer on egress. Works from
 * labels, so identities allocated after compilation are handled.
 *
 * <p>Policies in audit mode ({@link Policy#audit()}) are a dry run: a direction is judged by the
 * other policies, and only where those allow does it also ask what all of them together say. If
 * that denies (or sends the port through L7 rules), the direction reports it with
 * {@link Audit#POLICY}: the denial is forwarded as audit, never enforced, and the allow rules of
 * audit policies grant nothing that the other policies deny.
 */
public final class PolicyEvaluator {
    private final List<Policy> policies;
    /** The policies not in audit mode: what is enforced. */
    private final List<Policy> enforcing;
    private final Set<String> auditing;
    private final PolicyContext context;

    public PolicyEvaluator(List<Policy> policies, PolicyContext context) {
        this.policies = List.copyOf(policies);
        this.enforcing = this.policies.stream().filter(policy -> !policy.audit()).toList();
        this.auditing = this.policies.stream().filter(Policy::audit).map(Policy::reference)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
        this.context = context;
    }

    public List<Policy> policies() {
        return policies;
    }

    public PolicyContext context() {
        return context;
    }

    /**
     * @param subject the identity whose {@code direction} rules apply (destination for ingress)
     * @param peer    the other end of the connection
     * @param port    the destination port, or the ICMP type for ICMP; a negative port is one no
     *                rule names (what every unnamed port has in common)
     */
    public DirectionResult evaluate(Direction direction, Identity subject, Identity peer, int port,
                                    Protocol protocol) {
        DirectionResult enforced = evaluate(enforcing, direction, subject, peer, port, protocol);
        if (auditing.isEmpty() || enforced.mayDeny()) {
            return enforced;
        }
        DirectionResult all = evaluate(policies, direction, subject, peer, port, protocol);
        if (!all.mayDeny()) {
            return enforced;
        }
        // A default-deny names the first selecting policy, which may be one the others allow by.
        String deciding = all.policy() == null || auditing.contains(all.policy()) ? all.policy()
                : all.selectedBy().stream().filter(auditing::contains).findFirst().orElse(all.policy());
        return new DirectionResult(direction, subject, peer, all.outcome(), deciding, all.rule(), all.reason(),
                all.selectedBy(), all.l7(), Audit.POLICY);
    }

    private DirectionResult evaluate(List<Policy> judging, Direction direction, Identity subject, Identity peer,
                                     int port, Protocol protocol) {
        List<Selected> selected = selecting(judging, direction, subject);
        List<EndpointSelector> allowRequires = new ArrayList<>();
        List<EndpointSelector> denyRequires = new ArrayList<>();
        List<String> selectedBy = new ArrayList<>();
        boolean defaultDeny = false;
        for (Selected s : selected) {
            s.allows.forEach(rule -> allowRequires.addAll(rule.requires()));
            s.denies.forEach(rule -> denyRequires.addAll(rule.requires()));
            if (!selectedBy.contains(s.policy)) {
                selectedBy.add(s.policy);
            }
            defaultDeny |= s.defaultDeny;
        }
        PortNames names = context.namedPorts().of(direction == Direction.INGRESS ? subject : peer);
        Hit deny = null;
        Hit allow = null;
        List<L7RuleSet> l7 = new ArrayList<>();
        for (Selected s : selected) {
            for (PeerRule rule : s.denies) {
                String path = coveringPath(rule, peer, port, protocol, denyRequires, names, null, s.policy);
                if (deny == null && path != null) {
                    deny = new Hit(s.policy, path);
                }
            }
            for (PeerRule rule : s.allows) {
                String path = coveringPath(rule, peer, port, protocol, allowRequires, names, l7, s.policy);
                if (allow == null && path != null) {
                    allow = new Hit(s.policy, path);
                }
            }
        }
        return DirectionVerdicts.result(direction, subject, peer, port, protocol, selectedBy, defaultDeny, deny, allow,
                l7);
    }

    /** The rules of specs selecting {@code subject} that have rules for {@code direction}, in load order. */
    private static List<Selected> selecting(List<Policy> judging, Direction direction, Identity subject) {
        List<Selected> selected = new ArrayList<>();
        for (Policy policy : judging) {
            for (PolicySpec spec : policy.specs()) {
                boolean ingress = direction == Direction.INGRESS;
                List<PeerRule> allows = ingress ? spec.ingress() : spec.egress();
                List<PeerRule> denies = ingress ? spec.ingressDeny() : spec.egressDeny();
                if ((!allows.isEmpty() || !denies.isEmpty()) && Selection.selects(spec.endpointSelector(), subject)) {
                    selected.add(new Selected(policy.reference(), allows, denies,
                            ingress ? spec.ingressDefaultDeny() : spec.egressDefaultDeny()));
                }
            }
        }
        return selected;
    }

    /**
     * The path of the part of {@code rule} that plainly covers the peer and port, or null. Port
     * rules with L7 rules that cover them are added to {@code l7} instead (TCP only, and UDP for DNS
     * rules).
     */
    private String coveringPath(PeerRule rule, Identity peer, int port, Protocol protocol,
                                List<EndpointSelector> requirements, PortNames names, List<L7RuleSet> l7,
                                String policy) {
        if (!Selection.coversPeer(rule, peer, requirements, context)) {
            return null;
        }
        if (rule.toPorts().isEmpty()) {
            // Peers without ports: every port and protocol. Neither peers nor ports ({}): nothing.
            return rule.namesPeers() ? rule.path() : null;
        }
        String plain = null;
        for (PortRule portRule : rule.toPorts()) {
            if (!portRule.covers(port, protocol, names)) {
                continue;
            }
            if (portRule.rules().isEmpty()) {
                plain = plain == null ? portRule.path() : plain;
            } else if ((protocol == Protocol.TCP || protocol == Protocol.UDP && !portRule.rules().dns().isEmpty())
                    && l7 != null) {
                l7.add(L7RuleSet.of(policy, portRule));
            }
        }
        return plain;
    }

    private record Selected(String policy, List<PeerRule> allows, List<PeerRule> denies, boolean defaultDeny) {
    }

    record Hit(String policy, String path) {
    }
}
