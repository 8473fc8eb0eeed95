package io.portcullis.proxy.http2;

import java.time.Duration;
import java.util.Objects;

/**
 * Explicit limits of the HTTP/2 proxy (downstream side; the upstream connection uses the same
 * frame and header sizes).
 *
 * @param maxConcurrentStreams          SETTINGS_MAX_CONCURRENT_STREAMS; more → RST_STREAM(REFUSED_STREAM)
 * @param maxHeaderListSize             SETTINGS_MAX_HEADER_LIST_SIZE (decoded bytes)
 * @param maxFrameSize                  SETTINGS_MAX_FRAME_SIZE
 * @param initialWindowSize             per-stream receive window: the most the proxy buffers per stream
 * @param maxContinuationFrames         CONTINUATION frames after one HEADERS; more → GOAWAY(ENHANCE_YOUR_CALM)
 * @param maxResetsPerWindow            client RST_STREAM per window; more → GOAWAY(ENHANCE_YOUR_CALM)
 * @param maxControlFramesPerWindow     client SETTINGS/PING/PRIORITY per window; more → GOAWAY(ENHANCE_YOUR_CALM)
 * @param floodWindow                   window of the two counters above (whole seconds)
 * @param maxQueuedControlFrames        unwritten control frames towards a client; more → connection closed
 * @param maxConsecutiveEmptyDataFrames empty DATA without END_STREAM in a row; more → GOAWAY(ENHANCE_YOUR_CALM)
 */
public record Http2Limits(int maxConcurrentStreams, int maxHeaderListSize, int maxFrameSize, int initialWindowSize,
                          int maxContinuationFrames, int maxResetsPerWindow, int maxControlFramesPerWindow,
                          Duration floodWindow, int maxQueuedControlFrames, int maxConsecutiveEmptyDataFrames) {
    public static final Http2Limits DEFAULTS = new Http2Limits(100, 16384, 16384, 65535, 16, 200, 10_000,
            Duration.ofSeconds(10), 10_000, 2);

    public Http2Limits {
        positive(maxConcurrentStreams, "maxConcurrentStreams");
        positive(maxHeaderListSize, "maxHeaderListSize");
        if (maxFrameSize < 16_384 || maxFrameSize > 16_777_215) {
            throw new IllegalArgumentException("maxFrameSize must be in [16384, 16777215], got " + maxFrameSize);
        }
        positive(initialWindowSize, "initialWindowSize");
        positive(maxContinuationFrames, "maxContinuationFrames");
        positive(maxResetsPerWindow, "maxResetsPerWindow");
        positive(maxControlFramesPerWindow, "maxControlFramesPerWindow");
        Objects.requireNonNull(floodWindow, "floodWindow");
        if (floodWindow.toSeconds() < 1 || floodWindow.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("floodWindow must be whole seconds >= 1s, got " + floodWindow);
        }
        positive(maxQueuedControlFrames, "maxQueuedControlFrames");
        positive(maxConsecutiveEmptyDataFrames, "maxConsecutiveEmptyDataFrames");
    }

    private static void positive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, got " + value);
        }
    }
}
