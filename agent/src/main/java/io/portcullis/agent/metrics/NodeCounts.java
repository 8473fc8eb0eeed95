package io.portcullis.agent.metrics;

/**
 * The node's state as one scrape reports it, taken from one policy state.
 *
 * @param policyRevision the revision in force
 * @param policies       policies in force
 * @param identities     allocated identities
 * @param endpoints      endpoints, configured and created
 */
public record NodeCounts(long policyRevision, int policies, int identities, int endpoints) {
}
