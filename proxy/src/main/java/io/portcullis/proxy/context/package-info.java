/**
 * Per-connection facts: who the client is, which destination it meant and where the proxy
 * connects upstream. A {@link io.portcullis.proxy.context.ConnectionResolver} produces one
 * {@link io.portcullis.proxy.context.ConnectionContext} per accepted connection or fails, which
 * closes the connection (fail closed). Identities come from the agent through
 * {@link io.portcullis.proxy.context.PeerLookup}.
 */
package io.portcullis.proxy.context;
