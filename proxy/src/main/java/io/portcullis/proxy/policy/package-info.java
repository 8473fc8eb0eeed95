/**
 * The proxy's view of policy: one {@link io.portcullis.proxy.policy.ConnectionPolicy} per
 * connection turns the current {@link io.portcullis.policy.resolve.PolicySnapshot} into a
 * {@link io.portcullis.proxy.policy.Judgement} per request, failing closed. The source's and the
 * destination's audit modes (from the snapshot, by endpoint name) apply to their directions: a
 * denial audit mode lifts is judged {@code AUDIT} and forwarded like an allowed request.
 * {@link io.portcullis.proxy.policy.HeaderEdits} applies a judgement's header actions, for every protocol.
 */
package io.portcullis.proxy.policy;
