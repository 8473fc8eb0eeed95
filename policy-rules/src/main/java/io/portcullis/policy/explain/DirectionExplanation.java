package io.portcullis.policy.explain;

/**
 * How one direction judged the question.
 *
 * @param direction {@code egress} (the source's rules) or {@code ingress} (the destination's)
 * @param enforced  whether any policy selects the subject for this direction
 * @param verdict   {@code allowed}, {@code denied}, {@code audit} (denied, and this direction is in
 *                  audit mode), or {@code l7} when requests are judged by L7 rules and no request
 *                  was given
 * @param policy    the deciding policy, or null
 * @param rule      the deciding rule, e.g. {@code ingress[0].toPorts[0].rules.http[1]}, or null
 * @param reason    one human sentence
 */
public record DirectionExplanation(String direction, String subject, boolean enforced, String verdict,
                                   String policy, String rule, String reason) {
}
