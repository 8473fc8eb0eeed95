package io.portcullis.proxy.server;

import io.portcullis.config.Http2Config;
import io.portcullis.config.HttpConfig;
import io.portcullis.proxy.http2.Http2Limits;

import java.time.Duration;
import java.util.Objects;

/**
 * Explicit limits of the proxy: HTTP/1.1 here, HTTP/2 in {@link #http2}.
 *
 * @param maxInitialLineLength  longest request line (bytes, without CRLF); longer → 414
 * @param maxHeaderSize         largest request header block (bytes of field lines); larger → 431
 * @param maxChunkSize          largest body piece handed on at once (bodies are streamed)
 * @param maxResponseHeaderSize largest upstream response header block; larger → 502
 * @param maxDiscardedBody      body bytes read and dropped after a deny before the connection is
 *                              closed instead
 * @param headerReadTimeout     first byte of a request (or connection open) to end of its head;
 *                              exceeded → 408 and close
 * @param idleTimeout           keep-alive connection with no exchange in flight → closed
 * @param connectTimeout        upstream connect; exceeded → 503
 * @param http2                 the HTTP/2 limits
 */
public record HttpLimits(int maxInitialLineLength, int maxHeaderSize, int maxChunkSize, int maxResponseHeaderSize,
                         long maxDiscardedBody, Duration headerReadTimeout, Duration idleTimeout,
                         Duration connectTimeout, Http2Limits http2) {
    public static final HttpLimits DEFAULTS = builder().build();

    public HttpLimits {
        positive(maxInitialLineLength, "maxInitialLineLength");
        positive(maxHeaderSize, "maxHeaderSize");
        positive(maxChunkSize, "maxChunkSize");
        positive(maxResponseHeaderSize, "maxResponseHeaderSize");
        if (maxDiscardedBody < 0) {
            throw new IllegalArgumentException("maxDiscardedBody must be >= 0");
        }
        positive(headerReadTimeout, "headerReadTimeout");
        positive(idleTimeout, "idleTimeout");
        positive(connectTimeout, "connectTimeout");
        Objects.requireNonNull(http2, "http2");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The limits an agent configuration sets; the rest keep their defaults. */
    public static HttpLimits of(HttpConfig http, Http2Config http2) {
        return builder()
                .maxInitialLineLength(http.maxRequestLineBytes())
                .maxHeaderSize(http.maxHeaderBytes())
                .headerReadTimeout(http.headerTimeout())
                .idleTimeout(http.idleTimeout())
                .connectTimeout(http.connectTimeout())
                .http2(new Http2Limits(http2.maxConcurrentStreams(), http2.maxHeaderListBytes(), http2.maxFrameBytes(),
                        http2.initialWindowBytes(), http2.maxContinuationFrames(), http2.maxResetsPerWindow(),
                        http2.maxControlFramesPerWindow(), http2.floodWindow(), http2.maxQueuedControlFrames(),
                        http2.maxConsecutiveEmptyDataFrames()))
                .build();
    }

    public Builder toBuilder() {
        return new Builder().maxInitialLineLength(maxInitialLineLength).maxHeaderSize(maxHeaderSize)
                .maxChunkSize(maxChunkSize).maxResponseHeaderSize(maxResponseHeaderSize)
                .maxDiscardedBody(maxDiscardedBody).headerReadTimeout(headerReadTimeout).idleTimeout(idleTimeout)
                .connectTimeout(connectTimeout).http2(http2);
    }

    private static void positive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, got " + value);
        }
    }

    private static void positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be > 0, got " + value);
        }
    }

    /** Builder starting from the defaults. */
    public static final class Builder {
        private int maxInitialLineLength = 8192;
        private int maxHeaderSize = 16384;
        private int maxChunkSize = 65536;
        private int maxResponseHeaderSize = 65536;
        private long maxDiscardedBody = 1 << 20;
        private Duration headerReadTimeout = Duration.ofSeconds(10);
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Http2Limits http2 = Http2Limits.DEFAULTS;

        public Builder maxInitialLineLength(int value) {
            maxInitialLineLength = value;
            return this;
        }

        public Builder maxHeaderSize(int value) {
            maxHeaderSize = value;
            return this;
        }

        public Builder maxChunkSize(int value) {
            maxChunkSize = value;
            return this;
        }

        public Builder maxResponseHeaderSize(int value) {
            maxResponseHeaderSize = value;
            return this;
        }

        public Builder maxDiscardedBody(long value) {
            maxDiscardedBody = value;
            return this;
        }

        public Builder headerReadTimeout(Duration value) {
            headerReadTimeout = value;
            return this;
        }

        public Builder idleTimeout(Duration value) {
            idleTimeout = value;
            return this;
        }

        public Builder connectTimeout(Duration value) {
            connectTimeout = value;
            return this;
        }

        public Builder http2(Http2Limits value) {
            http2 = value;
            return this;
        }

        public HttpLimits build() {
            return new HttpLimits(maxInitialLineLength, maxHeaderSize, maxChunkSize, maxResponseHeaderSize,
                    maxDiscardedBody, headerReadTimeout, idleTimeout, connectTimeout, http2);
        }
    }
}
