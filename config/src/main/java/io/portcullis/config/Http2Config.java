package io.portcullis.config;

import java.time.Duration;

/**
 * HTTP/2 limits (the {@code http2:} section). Every limit a client could push against is explicit:
 * streams, header sizes, frame sizes and the flood detectors that end a connection with GOAWAY
 * {@code ENHANCE_YOUR_CALM}.
 *
 * @param maxConcurrentStreams         advertised SETTINGS_MAX_CONCURRENT_STREAMS; streams beyond it
 *                                     are refused with RST_STREAM(REFUSED_STREAM)
 * @param maxHeaderListBytes           advertised SETTINGS_MAX_HEADER_LIST_SIZE (decoded size)
 * @param maxFrameBytes                advertised SETTINGS_MAX_FRAME_SIZE; larger frames are a
 *                                     FRAME_SIZE_ERROR
 * @param initialWindowBytes           per-stream receive window (bounds what the proxy buffers per
 *                                     stream)
 * @param maxContinuationFrames        CONTINUATION frames allowed after one HEADERS frame
 * @param maxResetsPerWindow           client RST_STREAM frames per {@code floodWindow} (rapid reset,
 *                                     CVE-2023-44487)
 * @param maxControlFramesPerWindow    client SETTINGS, PING and PRIORITY frames per
 *                                     {@code floodWindow}
 * @param floodWindow                  the window of the two counters above
 * @param maxQueuedControlFrames       control frames (PING/SETTINGS acks, resets) queued towards a
 *                                     client that does not read
 * @param maxConsecutiveEmptyDataFrames empty DATA frames without END_STREAM in a row
 */
public record Http2Config(int maxConcurrentStreams, int maxHeaderListBytes, int maxFrameBytes, int initialWindowBytes,
                          int maxContinuationFrames, int maxResetsPerWindow, int maxControlFramesPerWindow,
                          Duration floodWindow, int maxQueuedControlFrames, int maxConsecutiveEmptyDataFrames) {
    public static final Http2Config DEFAULTS = new Http2Config(100, 16384, 16384, 65535, 16, 200, 10_000,
            Duration.ofSeconds(10), 10_000, 2);
}
