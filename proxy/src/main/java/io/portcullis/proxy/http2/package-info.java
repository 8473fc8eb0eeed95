/**
 * HTTP/2 (cleartext: prior knowledge, or the h2c upgrade of an HTTP/1.1 connection's first
 * request) enforcement on Netty's {@code Http2FrameCodec} and {@code Http2MultiplexHandler}.
 *
 * <p>Contract:
 * <ul>
 *   <li>Every stream is judged on its own, by the policy current when its header block arrives,
 *       on {@code :method}, the normalised {@code :path} (what is forwarded) and
 *       {@code :authority}. A denied stream gets {@code 403 Access denied} (gRPC: a trailers-only
 *       {@code grpc-status: 7}); the other streams of the connection are unaffected.</li>
 *   <li>Malformed header blocks and trailers (RFC 9113 §8) are reset with PROTOCOL_ERROR and
 *       never forwarded. Floods end the connection with GOAWAY(ENHANCE_YOUR_CALM); streams beyond
 *       the concurrency limit are refused (REFUSED_STREAM). All limits are in {@link
 *       io.portcullis.config.Http2Limits}.</li>
 *   <li>One upstream HTTP/2 connection (prior knowledge) per downstream connection, opened on the
 *       first forwarded stream, on the same event loop; one upstream stream per forwarded stream.
 *       Frames are relayed one way and the other without aggregation; each side is read only
 *       after the other accepted the previous frames, so flow-control windows are replenished at
 *       the pace of the slower peer. Resets are relayed both ways (gRPC cancellation, deadlines);
 *       {@code grpc-timeout} and every other field pass untouched.</li>
 *   <li>A WebSocket's extended CONNECT (RFC 8441) is judged as the GET it stands for and sent
 *       only to an upstream whose SETTINGS invited it; answered 2xx, its stream carries the
 *       WebSocket both ways until ended, reset or idle, and its end gets a close record.</li>
 *   <li>One request and one response access-log record per judged stream ({@code l7Protocol}
 *       {@code grpc} with service, method and final status for gRPC calls).</li>
 * </ul>
 */
package io.portcullis.proxy.http2;
