package io.portcullis.config;

import java.time.Duration;

import static io.portcullis.config.Limits.positive;

/**
 * HTTP/1.1 limits and timeouts (the {@code http:} section), with their defaults in {@link Builder}.
 * Built by name: {@code HttpLimits.builder().idleTimeout(...).build()}.
 *
 * @param maxInitialLineLength  longest request line (bytes, without CRLF); longer → 414
 *                              ({@code maxRequestLineBytes})
 * @param maxHeaderSize         largest request header block (bytes of field lines); larger → 431
 *                              ({@code maxHeaderBytes})
 * @param maxChunkSize          largest body piece handed on at once (bodies are streamed)
 * @param maxResponseHeaderSize largest upstream response header block; larger → 502
 * @param maxDiscardedBody      body bytes read and dropped after a deny before the connection is
 *                              closed instead
 * @param headerReadTimeout     first byte of a request (or connection open) to end of its head;
 *                              exceeded → 408 and close ({@code headerTimeout})
 * @param idleTimeout           keep-alive connection with no exchange in flight → closed
 * @param connectTimeout        upstream connect; exceeded → 503
 * @param websocketIdleTimeout  a WebSocket (an upgrade answered 101) carrying no byte either way
 *                              → both connections closed
 */
public record HttpLimits(int maxInitialLineLength, int maxHeaderSize, int maxChunkSize, int maxResponseHeaderSize,
                         long maxDiscardedBody, Duration headerReadTimeout, Duration idleTimeout,
                         Duration connectTimeout, Duration websocketIdleTimeout) {
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
        positive(websocketIdleTimeout, "websocketIdleTimeout");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder starting from the defaults: the one place they are written. */
    public static final class Builder {
        private int maxInitialLineLength = 8192;
        private int maxHeaderSize = 16384;
        private int maxChunkSize = 65536;
        private int maxResponseHeaderSize = 65536;
        private long maxDiscardedBody = 1 << 20;
        private Duration headerReadTimeout = Duration.ofSeconds(10);
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration websocketIdleTimeout = Duration.ofSeconds(300);

        private Builder() {
        }

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

        public Builder websocketIdleTimeout(Duration value) {
            websocketIdleTimeout = value;
            return this;
        }

        public HttpLimits build() {
            return new HttpLimits(maxInitialLineLength, maxHeaderSize, maxChunkSize, maxResponseHeaderSize,
                    maxDiscardedBody, headerReadTimeout, idleTimeout, connectTimeout,
                    websocketIdleTimeout);
        }
    }
}
