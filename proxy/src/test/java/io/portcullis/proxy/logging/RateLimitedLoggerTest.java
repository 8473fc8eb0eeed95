package io.portcullis.proxy.logging;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitedLoggerTest {
    private final List<String> lines = new ArrayList<>();
    private final AtomicLong now = new AtomicLong(1_000);
    private final RateLimitedLogger log = new RateLimitedLogger(new Capture(), 10, TimeUnit.SECONDS, now::get);

    @Test
    void oneLinePerKeyPerIntervalAndTheNextCountsWhatWasSuppressed() {
        for (int i = 0; i < 1000; i++) {
            log.log(System.Logger.Level.WARNING, "resolve", "closing connection " + i);
        }
        assertThat(lines).containsExactly("closing connection 0");
        assertThat(log.suppressed()).isEqualTo(999);

        now.addAndGet(TimeUnit.SECONDS.toNanos(10));
        log.log(System.Logger.Level.WARNING, "resolve", "closing connection 1000");
        assertThat(lines).containsExactly("closing connection 0", "closing connection 1000 (999 similar suppressed)");

        now.addAndGet(TimeUnit.SECONDS.toNanos(10));
        log.log(System.Logger.Level.WARNING, "resolve", "closing connection 1001");
        assertThat(lines).last().isEqualTo("closing connection 1001");
        assertThat(log.suppressed()).as("a running total").isEqualTo(999);
    }

    @Test
    void keysHaveTheirOwnWindows() {
        log.log(System.Logger.Level.WARNING, "resolve", "a");
        log.log(System.Logger.Level.WARNING, "flood", "b");
        log.log(System.Logger.Level.WARNING, "resolve", "c");
        assertThat(lines).containsExactly("a", "b");
        assertThat(log.suppressed()).isEqualTo(1);
    }

    private final class Capture implements System.Logger {
        @Override
        public String getName() {
            return "capture";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            lines.add(msg);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(format);
        }
    }
}
