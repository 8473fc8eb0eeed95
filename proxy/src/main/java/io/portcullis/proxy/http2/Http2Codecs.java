package io.portcullis.proxy.http2;

import io.portcullis.config.Http2Limits;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Settings;

/** The two frame codecs of the proxy, configured from {@link Http2Limits}. */
final class Http2Codecs {
    private Http2Codecs() {
    }

    /**
     * Downstream (the proxy as server). Header validation is on (Netty refuses pseudo-header
     * disorder, connection-specific fields and bad names as stream errors); every flood detector
     * Netty has is set from the limits: rapid reset and consecutive empty DATA frames end the
     * connection with GOAWAY(ENHANCE_YOUR_CALM), unwritten control frames beyond the limit close
     * it. Streams beyond SETTINGS_MAX_CONCURRENT_STREAMS are refused with REFUSED_STREAM by
     * Netty's stream bookkeeping. SETTINGS_ENABLE_CONNECT_PROTOCOL invites the extended CONNECT
     * of RFC 8441, WebSocket over a stream.
     */
    static Http2FrameCodec server(Http2Limits limits) {
        Http2Settings settings = new Http2Settings()
                .connectProtocolEnabled(true)
                .maxConcurrentStreams(limits.maxConcurrentStreams())
                .maxHeaderListSize(limits.maxHeaderListSize())
                .maxFrameSize(limits.maxFrameSize())
                .initialWindowSize(limits.initialWindowSize());
        return Http2FrameCodecBuilder.forServer()
                .initialSettings(settings)
                .validateHeaders(true)
                .decoderEnforceMaxRstFramesPerWindow(limits.maxResetsPerWindow(),
                        (int) limits.floodWindow().toSeconds())
                .decoderEnforceMaxConsecutiveEmptyDataFrames(limits.maxConsecutiveEmptyDataFrames())
                .decoderEnforceMaxSmallContinuationFrames(limits.maxContinuationFrames())
                .encoderEnforceMaxQueuedControlFrames(limits.maxQueuedControlFrames())
                .build();
    }

    /**
     * Upstream (the proxy as client, prior knowledge). Push is refused; streams beyond the
     * server's concurrency limit wait in Netty's buffering encoder instead of failing.
     */
    static Http2FrameCodec client(Http2Limits limits, int maxResponseHeaderListSize) {
        Http2Settings settings = new Http2Settings()
                .pushEnabled(false)
                .maxConcurrentStreams(0)
                .maxHeaderListSize(maxResponseHeaderListSize)
                .maxFrameSize(limits.maxFrameSize())
                .initialWindowSize(limits.initialWindowSize());
        return Http2FrameCodecBuilder.forClient()
                .initialSettings(settings)
                .validateHeaders(true)
                .encoderEnforceMaxConcurrentStreams(true)
                .encoderEnforceMaxQueuedControlFrames(limits.maxQueuedControlFrames())
                .build();
    }
}
