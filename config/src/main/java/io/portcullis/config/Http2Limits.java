package io.portcullis.config;

import java.time.Duration;
import java.util.Objects;

import static io.portcullis.config.Limits.positive;

/**
 * HTTP/2 limits (the {@code http2:} section), with their defaults in {@link Builder}. Every limit a
 * client could push against is explicit: streams, header sizes, frame sizes and the flood detectors
 * that end a connection with GOAWAY {@code ENHANCE_YOUR_CALM}. The upstream connection uses the
 * same frame and header sizes.
 *
 * @param maxConcurrentStreams          SETTINGS_MAX_CONCURRENT_STREAMS; more → RST_STREAM(REFUSED_STREAM)
 * @param maxHeaderListSize             SETTINGS_MAX_HEADER_LIST_SIZE (decoded bytes; {@code maxHeaderListBytes})
 * @param maxFrameSize                  SETTINGS_MAX_FRAME_SIZE; larger frames are a FRAME_SIZE_ERROR
 *                                      ({@code maxFrameBytes})
 * @param initialWindowSize             per-stream receive window: the most the proxy buffers per stream
 *                                      ({@code initialWindowBytes})
 * @param maxContinuationFrames         CONTINUATION frames after one HEADERS; more → GOAWAY(ENHANCE_YOUR_CALM)
 * @param maxResetsPerWindow            client RST_STREAM per window (rapid reset, CVE-2023-44487);
 *                                      more → GOAWAY(ENHANCE_YOUR_CALM)
 * @param maxControlFramesPerWindow     client SETTINGS/PING/PRIORITY per window; more → GOAWAY(ENHANCE_YOUR_CALM)
 * @param floodWindow                   window of the two counters above (whole seconds)
 * @param maxQueuedControlFrames        unwritten control frames (PING/SETTINGS acks, resets) towards a
 *                                      client that does not read; more → connection closed
 * @param maxConsecutiveEmptyDataFrames empty DATA without END_STREAM in a row; more → GOAWAY(ENHANCE_YOUR_CALM)
 */
public record Http2Limits(int maxConcurrentStreams, int maxHeaderListSize, int maxFrameSize, int initialWindowSize,
                          int maxContinuationFrames, int maxResetsPerWindow, int maxControlFramesPerWindow,
                          Duration floodWindow, int maxQueuedControlFrames, int maxConsecutiveEmptyDataFrames) {
    public static final Http2Limits DEFAULTS = builder().build();

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

    public static Builder builder() {
        return new Builder();
    }

    /** Builder starting from the defaults: the one place they are written. */
    public static final class Builder {
        private int maxConcurrentStreams = 100;
        private int maxHeaderListSize = 16384;
        private int maxFrameSize = 16384;
        private int initialWindowSize = 65535;
        private int maxContinuationFrames = 16;
        private int maxResetsPerWindow = 200;
        private int maxControlFramesPerWindow = 10_000;
        private Duration floodWindow = Duration.ofSeconds(10);
        private int maxQueuedControlFrames = 10_000;
        private int maxConsecutiveEmptyDataFrames = 2;

        private Builder() {
        }

        public Builder maxConcurrentStreams(int value) {
            maxConcurrentStreams = value;
            return this;
        }

        public Builder maxHeaderListSize(int value) {
            maxHeaderListSize = value;
            return this;
        }

        public Builder maxFrameSize(int value) {
            maxFrameSize = value;
            return this;
        }

        public Builder initialWindowSize(int value) {
            initialWindowSize = value;
            return this;
        }

        public Builder maxContinuationFrames(int value) {
            maxContinuationFrames = value;
            return this;
        }

        public Builder maxResetsPerWindow(int value) {
            maxResetsPerWindow = value;
            return this;
        }

        public Builder maxControlFramesPerWindow(int value) {
            maxControlFramesPerWindow = value;
            return this;
        }

        public Builder floodWindow(Duration value) {
            floodWindow = value;
            return this;
        }

        public Builder maxQueuedControlFrames(int value) {
            maxQueuedControlFrames = value;
            return this;
        }

        public Builder maxConsecutiveEmptyDataFrames(int value) {
            maxConsecutiveEmptyDataFrames = value;
            return this;
        }

        public Http2Limits build() {
            return new Http2Limits(maxConcurrentStreams, maxHeaderListSize, maxFrameSize, initialWindowSize,
                    maxContinuationFrames, maxResetsPerWindow, maxControlFramesPerWindow, floodWindow,
                    maxQueuedControlFrames, maxConsecutiveEmptyDataFrames);
        }
    }
}
