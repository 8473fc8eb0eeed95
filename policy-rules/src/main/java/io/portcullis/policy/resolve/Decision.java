package io.portcullis.policy.resolve;

import io.portcullis.policy.model.HeaderAction;

import java.util.List;
import java.util.Objects;

/**
 * The verdict on one L7 request.
 *
 * @param allowed          whether the policies allow the request
 * @param policy           the name of the policy whose rule allowed it, or whose direction
 *                         denied it (would deny it, when audited); null when no policy was involved
 * @param observationPoint the direction that decided: on deny the direction that refused, on
 *                         allow the direction whose L7 rule matched (egress first)
 * @param reason           one human sentence: which rule matched, or why none did (and, when
 *                         audited, what forwarded it anyway)
 * @param headerActions    header changes to apply before forwarding (empty when denied)
 * @param audit            {@link Audit#NONE} unless the request is denied and forwarded anyway
 *                         because the denying direction is in audit mode
 */
public record Decision(boolean allowed, String policy, Direction observationPoint, String reason,
                       List<HeaderAction> headerActions, Audit audit) {
    public Decision {
        headerActions = List.copyOf(headerActions);
        Objects.requireNonNull(audit, "audit");
        if (allowed && audit.audited()) {
            throw new IllegalArgumentException("only a denial is audited");
        }
    }

    /** An enforced decision. */
    public Decision(boolean allowed, String policy, Direction observationPoint, String reason,
                    List<HeaderAction> headerActions) {
        this(allowed, policy, observationPoint, reason, headerActions, Audit.NONE);
    }

    /** Whether the request goes upstream: allowed, or denied in audit mode. */
    public boolean forwarded() {
        return allowed || audit.audited();
    }

    /**
     * The denial {@code side} makes, with {@code reason}: enforced, or audited with the switch
     * that lifts it named after the reason.
     */
    static Decision denial(DirectionResult side, String reason) {
        if (!side.audit().audited()) {
            return new Decision(false, side.policy(), side.direction(), reason, List.of());
        }
        return new Decision(false, side.policy(), side.direction(), "audit: " + reason + "; forwarded because "
                + side.audit().describe(side.policy(), side.direction()), List.of(), side.audit());
    }
}
