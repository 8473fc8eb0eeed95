package io.portcullis.policy.resolve;

import io.portcullis.policy.model.HeaderAction;

import java.util.List;

/**
 * The verdict on one L7 request.
 *
 * @param allowed          whether the request may go upstream
 * @param policy           the name of the policy whose rule allowed it, or whose direction
 *                         denied it; null when no policy was involved
 * @param observationPoint the direction that decided: on deny the direction that refused, on
 *                         allow the direction whose L7 rule matched (egress first)
 * @param reason           one human sentence: which rule matched, or why none did
 * @param headerActions    header changes to apply before forwarding (empty when denied)
 */
public record Decision(boolean allowed, String policy, Direction observationPoint, String reason,
                       List<HeaderAction> headerActions) {
    public Decision {
        headerActions = List.copyOf(headerActions);
    }
}
