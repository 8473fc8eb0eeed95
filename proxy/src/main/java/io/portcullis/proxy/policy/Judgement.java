package io.portcullis.proxy.policy;

import io.portcullis.policy.model.HeaderAction;
import io.portcullis.proxy.accesslog.AccessLogEntry.Verdict;
import io.portcullis.policy.resolve.Decision;
import io.portcullis.policy.resolve.Direction;

import java.util.List;

/**
 * The proxy's verdict on one request, from a policy {@link io.portcullis.policy.resolve.Decision}
 * or from the proxy itself (no policy, L4-only, policy failure).
 *
 * @param outcome          forward, audit (policy denies and audit mode forwards it), deny, or error
 *                         (policy could not be evaluated: fail closed)
 * @param policy           deciding policy or null
 * @param observationPoint deciding direction or null
 * @param reason           short reason for the access log
 * @param headerActions    to apply before forwarding
 */
public record Judgement(Outcome outcome, String policy, Direction observationPoint, String reason,
                        List<HeaderAction> headerActions) {
    public enum Outcome { FORWARD, AUDIT, DENY, ERROR }

    public static Judgement deny(String reason) {
        return new Judgement(Outcome.DENY, null, null, reason, List.of());
    }

    /** The judgement of a policy decision: forward what it allows or audits, deny the rest. */
    public static Judgement of(Decision decision) {
        Outcome outcome = decision.allowed() ? Outcome.FORWARD : decision.forwarded() ? Outcome.AUDIT : Outcome.DENY;
        return new Judgement(outcome, decision.policy(), decision.observationPoint(), decision.reason(),
                decision.headerActions());
    }

    /** Whether policy denies the request, enforced or audited (forwarded in audit mode). */
    public boolean policyDenies() {
        return outcome == Outcome.DENY || outcome == Outcome.AUDIT;
    }

    /** The verdict the access log records for this judgement when it is made. */
    public Verdict verdict() {
        return switch (outcome) {
            case FORWARD -> Verdict.FORWARDED;
            case AUDIT -> Verdict.AUDIT;
            case DENY -> Verdict.DENIED;
            case ERROR -> Verdict.ERROR;
        };
    }
}
