/**
 * Policy resolution with Cilium's semantics and the decision API the proxy codes against.
 * {@link io.portcullis.policy.resolve.PolicyCompiler#compile} turns policies into an immutable
 * {@link io.portcullis.policy.resolve.PolicySnapshot}; for a connection it yields
 * {@link io.portcullis.policy.resolve.ConnectionRules} combining the source's egress and the
 * destination's ingress: DENIED if either direction denies, L7 if any direction has L7 rules,
 * else ALLOWED; a direction no policy selects (or only policies with
 * {@code enableDefaultDeny: false} select) allows what no rule covers. A
 * {@link io.portcullis.policy.resolve.PolicyContext} supplies what rules name beyond the policies:
 * endpoints' named ports and services' backends. Each HTTP request is then judged by
 * {@code decideHttp} without compiling or needless allocation.
 */
package io.portcullis.policy.resolve;
