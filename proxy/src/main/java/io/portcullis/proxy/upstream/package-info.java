/**
 * Upstream side of the proxy: one connection per downstream connection, opened lazily on the
 * downstream's event loop, reporting responses, writability and closure to an
 * {@link io.portcullis.proxy.upstream.UpstreamListener}. Owns no policy or exchange state.
 */
package io.portcullis.proxy.upstream;
