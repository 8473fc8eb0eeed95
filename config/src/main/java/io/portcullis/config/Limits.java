package io.portcullis.config;

import java.time.Duration;
import java.util.Objects;

/** The checks {@link HttpLimits} and {@link Http2Limits} apply to every limit they are built with. */
final class Limits {
    private Limits() {
    }

    static void positive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, got " + value);
        }
    }

    static void positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be > 0, got " + value);
        }
    }
}
