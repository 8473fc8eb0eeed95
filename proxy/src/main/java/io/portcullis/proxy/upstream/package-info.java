/**
 * Upstream side of the proxy: one connection per downstream connection, opened lazily on the
 * downstream's event loop with one socket set-up ({@link io.portcullis.proxy.upstream.UpstreamBootstrap}).
 * {@link io.portcullis.proxy.upstream.UpstreamLink} owns its life cycle for a protocol handler
 * (connect, what waits for the connect, close from either side, read-after-write with auto-read
 * off); HTTP/1.1 connections report responses, writability and closure to an
 * {@link io.portcullis.proxy.upstream.UpstreamListener}. Owns no policy or exchange state.
 */
package io.portcullis.proxy.upstream;
