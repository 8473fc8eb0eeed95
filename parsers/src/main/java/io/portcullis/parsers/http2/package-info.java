/**
 * HTTP/2 request checks that need no Netty pipeline: {@link io.portcullis.parsers.http2.Http2RequestValidator}
 * (RFC 9113 §8 malformed-request rules plus the shared path normalisation, yielding a
 * {@link io.portcullis.parsers.http2.ValidatedHttp2Request}) and
 * {@link io.portcullis.parsers.http2.Http2FrameScanner} (frame-boundary tracking of the raw client
 * byte stream for CONTINUATION and control-frame floods, and for frames on streams the client
 * ended or never opened, with {@link io.portcullis.parsers.http2.ClientStreamIds}). No policy logic.
 */
package io.portcullis.parsers.http2;
