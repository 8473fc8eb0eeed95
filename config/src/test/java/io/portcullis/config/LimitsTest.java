package io.portcullis.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LimitsTest {
    @Test
    void httpBuilderChangesOnlyTheNamedLimit() {
        HttpLimits limits = HttpLimits.builder().idleTimeout(Duration.ofSeconds(3)).build();

        assertThat(limits.idleTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(limits).isEqualTo(new HttpLimits(8192, 16384, 65536, 65536, 1 << 20, Duration.ofSeconds(10),
                Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofSeconds(300)));
        assertThat(HttpLimits.DEFAULTS).isEqualTo(HttpLimits.builder().build());
    }

    @Test
    void http2BuilderChangesOnlyTheNamedLimit() {
        Http2Limits limits = Http2Limits.builder().maxConcurrentStreams(7).build();

        assertThat(limits).isEqualTo(new Http2Limits(7, 16384, 16384, 65535, 16, 200, 10_000,
                Duration.ofSeconds(10), 10_000, 2));
        assertThat(Http2Limits.DEFAULTS.maxConcurrentStreams()).isEqualTo(100);
    }

    @Test
    void httpLimitsRefuseWhatCannotBeEnforced() {
        assertThatThrownBy(() -> HttpLimits.builder().maxHeaderSize(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxHeaderSize must be > 0, got 0");
        assertThatThrownBy(() -> HttpLimits.builder().maxDiscardedBody(-1).build())
                .hasMessage("maxDiscardedBody must be >= 0");
        assertThatThrownBy(() -> HttpLimits.builder().connectTimeout(Duration.ZERO).build())
                .hasMessage("connectTimeout must be > 0, got PT0S");
        assertThat(HttpLimits.builder().maxDiscardedBody(0).build().maxDiscardedBody()).isZero();
    }

    @Test
    void http2LimitsRefuseFrameSizesOutsideRfc9113AndFractionalFloodWindows() {
        assertThatThrownBy(() -> Http2Limits.builder().maxFrameSize(16_383).build())
                .hasMessage("maxFrameSize must be in [16384, 16777215], got 16383");
        assertThatThrownBy(() -> Http2Limits.builder().maxFrameSize(16_777_216).build())
                .hasMessageContaining("maxFrameSize");
        assertThatThrownBy(() -> Http2Limits.builder().floodWindow(Duration.ofMillis(1500)).build())
                .hasMessage("floodWindow must be whole seconds >= 1s, got PT1.5S");
        assertThatThrownBy(() -> Http2Limits.builder().maxResetsPerWindow(0).build())
                .hasMessage("maxResetsPerWindow must be > 0, got 0");
    }
}
