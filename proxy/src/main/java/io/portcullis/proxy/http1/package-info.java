/**
 * HTTP/1.1 enforcement handlers of a downstream connection, in pipeline order:
 * {@link io.portcullis.proxy.http1.RequestTimer} (header-read, idle and discard deadlines),
 * the strict decoder from {@code parsers}, {@link io.portcullis.proxy.http1.ProxyResponseEncoder},
 * {@link io.portcullis.proxy.http1.RequestValidationHandler} and
 * {@link io.portcullis.proxy.http1.Http1ProxyHandler}.
 *
 * <p>Contract: every request is judged by the policy current at that request; allowed requests
 * are forwarded with the normalised target and the decision's header actions applied, bodies
 * streamed; denied requests get {@code 403 Access denied} and their body is dropped; malformed
 * input gets 400/414/431/505 and a close; upstream failures give 502/503. Responses leave in
 * request order; every decision and every answer is access-logged. An allowed WebSocket
 * handshake answered {@code 101} ends HTTP on both connections: they become a
 * {@link io.portcullis.proxy.tunnel.Tunnel} ({@link io.portcullis.proxy.http1.WebSocketUpgrade}).
 */
package io.portcullis.proxy.http1;
