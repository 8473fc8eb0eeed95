/**
 * Policy resolution with Cilium's semantics and the decision API the proxy codes against.
 * {@link io.portcullis.policy.resolve.PolicyCompiler#compile} turns policies into an immutable
 * {@link io.portcullis.policy.resolve.PolicySnapshot}; for a connection it yields
 * {@link io.portcullis.policy.resolve.ConnectionRules} combining the source's egress and the
 * destination's ingress: DENIED if either direction denies, L7 if any direction has L7 rules,
 * else ALLOWED; a direction no policy selects (or only policies with
 * {@code enableDefaultDeny: false} select) allows what no rule covers. A
 * {@link io.portcullis.policy.resolve.PolicyContext} supplies what rules name beyond the policies:
 * endpoints' named ports and services' backends, and which endpoints (or the whole node) are in
 * audit mode. Each HTTP request is then judged by {@code decideHttp} without compiling or needless
 * allocation.
 *
 * <p>Audit mode ({@link io.portcullis.policy.resolve.Audit}): a direction's denial is audited when
 * only policies in audit mode make it ({@code PolicyEvaluator} judges by the others first), or when
 * {@code withAudit} is given the endpoint's or the node's switch. An audited denial is a
 * {@link io.portcullis.policy.resolve.Decision} that is not allowed yet {@code forwarded()}, with
 * the rule that would deny and the switch in its reason; an enforced denial of either direction
 * always beats an audited one of the other.
 */
package io.portcullis.policy.resolve;
