package io.portcullis.proxy.accesslog;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import static org.assertj.core.api.Assertions.assertThat;

class RecordTimeTest {
    private static final DateTimeFormatter REFERENCE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Test
    void formatsLikeTheFormatterWithinAndAcrossSeconds() {
        Instant base = Instant.parse("2024-02-29T23:59:58.000Z");
        for (long nanos : new long[]{0, 1, 999_999, 1_000_000, 6_000_000, 99_999_999, 100_000_000, 999_999_999,
                1_000_000_000, 1_000_000_001, 1_234_567_890, 2_007_000_000}) {
            Instant t = base.plusNanos(nanos);
            assertThat(RecordTime.format(t)).as("%s", t).isEqualTo(REFERENCE.format(t));
        }
    }

    @Test
    void yearsBeyondFourDigitsFallBackToTheFormatter() {
        Instant t = Instant.parse("+12345-01-02T03:04:05.678Z");
        assertThat(RecordTime.format(t)).isEqualTo(REFERENCE.format(t)).startsWith("+12345-");
        Instant u = Instant.parse("2024-01-02T03:04:05.006Z");
        assertThat(RecordTime.format(u)).isEqualTo("2024-01-02T03:04:05.006Z");
    }
}
