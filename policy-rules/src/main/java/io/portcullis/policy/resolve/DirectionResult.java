package io.portcullis.policy.resolve;

import io.portcullis.policy.identity.Identity;
import java.util.List;
import java.util.Objects;

/**
 * What the policies say about one direction of a connection: the destination's ingress towards
 * its source, or the source's egress towards its destination.
 *
 * @param subject    the identity whose rules apply (destination for ingress, source for egress)
 * @param peer       the other side
 * @param outcome    how the direction judged the connection
 * @param policy     the deciding policy ({@code namespace/name}, or {@code name} when
 *                   clusterwide): the deny or allow rule's, the first L7 set's, or on
 *                   default-deny the first selecting policy; null when no rule decided
 * @param rule       where the deciding rule was written ({@code ingressDeny[0]}), or null
 * @param reason     one human sentence
 * @param selectedBy the policies selecting the subject for this direction, in load order
 * @param l7         the L7 rule sets on this port for this peer (moot unless outcome is L7)
 * @param audit      whether what this direction denies (the connection, or requests its L7 rules
 *                   refuse) is forwarded as audit instead, and by which switch
 */
public record DirectionResult(Direction direction, Identity subject, Identity peer, Outcome outcome, String policy,
                              String rule, String reason, List<String> selectedBy, List<L7RuleSet> l7, Audit audit) {
    public enum Outcome {
        /** No policy selects the subject for this direction: everything is allowed. */
        NOT_SELECTED,
        /** A plain L3/L4 allow rule covers the peer and port. */
        ALLOWED,
        /** Only rules with L7 rules cover the peer and port: requests are judged by them. */
        L7,
        /** A deny rule covers the peer and port. */
        DENIED,
        /** Selected, and no rule covers the peer and port. */
        DEFAULT_DENIED,
        /**
         * Selected only by rules with {@code enableDefaultDeny: false} for this direction, and no
         * rule covers the peer and port: allowed.
         */
        ALLOWED_BY_DEFAULT;

        public L4Verdict verdict() {
            switch (this) {
                case NOT_SELECTED:
                case ALLOWED:
                case ALLOWED_BY_DEFAULT:
                    return L4Verdict.ALLOWED;
                case L7:
                    return L4Verdict.L7;
                default:
                    return L4Verdict.DENIED;
            }
        }
    }

    public DirectionResult {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(audit, "audit");
        selectedBy = List.copyOf(selectedBy);
        l7 = List.copyOf(l7);
    }

    public L4Verdict verdict() {
        return outcome.verdict();
    }

    /** Whether this direction may deny: the connection, or requests its L7 rules refuse. */
    /** Whether DNS rules judge this direction's requests: its queries go to the DNS proxy. */
    public boolean judgesDns() {
        return outcome == Outcome.L7 && l7.stream().anyMatch(set -> !set.dns().isEmpty());
    }

    public boolean mayDeny() {
        return outcome.verdict() != L4Verdict.ALLOWED;
    }

    /** Whether this direction denies the connection and that denial is enforced. */
    public boolean enforcesDenial() {
        return verdict() == L4Verdict.DENIED && !audit.audited();
    }

    /**
     * This result with its denials audited by {@code switched} (an endpoint or the node in audit
     * mode); unchanged when it denies nothing or is audited already.
     */
    public DirectionResult audited(Audit switched) {
        if (!switched.audited() || audit.audited() || !mayDeny()) {
            return this;
        }
        return new DirectionResult(direction, subject, peer, outcome, policy, rule, reason, selectedBy, l7, switched);
    }
}
