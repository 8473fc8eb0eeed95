/**
 * The feed between the agent and its proxy: the proxy connects to the agent's feed socket and
 * says {@link io.portcullis.api.feed.Hello}; the agent answers with a full
 * {@link io.portcullis.api.feed.Snapshot} and sends a new one whenever policy, identities or the
 * ipcache change; the proxy confirms each with {@link io.portcullis.api.feed.Applied}, and while the
 * agent says someone is {@link io.portcullis.api.feed.Watching}, streams its access-log records
 * back ({@link io.portcullis.api.feed.AccessLogRecords}). Snapshots are
 * whole, never diffs, so a proxy that reconnects after the agent restarted needs nothing else.
 */
package io.portcullis.api.feed;
