/**
 * The proxy's view of policy: one {@link io.portcullis.proxy.policy.ConnectionPolicy} per
 * connection turns the current {@link io.portcullis.policy.resolve.PolicySnapshot} into a
 * {@link io.portcullis.proxy.policy.Judgement} per request, failing closed;
 * {@link io.portcullis.proxy.policy.HeaderEdits} applies a judgement's header actions, for every protocol.
 */
package io.portcullis.proxy.policy;
