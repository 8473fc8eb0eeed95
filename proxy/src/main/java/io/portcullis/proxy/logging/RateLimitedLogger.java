package io.portcullis.proxy.logging;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Logs one message per key per interval and counts what it suppressed, so that a dead upstream
 * or a full access-log queue produces one line every few seconds, not one per request (nor one
 * per connection of a flood of connections the proxy cannot resolve). The next line of a key says
 * how many were suppressed since the last; {@link #suppressed()} counts them all.
 */
public final class RateLimitedLogger {
    private final System.Logger logger;
    private final long intervalNanos;
    private final LongSupplier clock;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();
    private final AtomicLong suppressedTotal = new AtomicLong();

    public RateLimitedLogger(System.Logger logger, long interval, TimeUnit unit) {
        this(logger, interval, unit, System::nanoTime);
    }

    RateLimitedLogger(System.Logger logger, long interval, TimeUnit unit, LongSupplier nanoClock) {
        this.logger = logger;
        this.intervalNanos = unit.toNanos(interval);
        this.clock = nanoClock;
    }

    /** Lines suppressed since this logger was made, over all keys. */
    public long suppressed() {
        return suppressedTotal.get();
    }

    public void log(System.Logger.Level level, String key, String message) {
        Window window = windows.computeIfAbsent(key, k -> new Window());
        long now = clock.getAsLong();
        long last = window.lastLogged.get();
        if (last != 0 && now - last < intervalNanos || !window.lastLogged.compareAndSet(last, now == 0 ? 1 : now)) {
            window.suppressed.incrementAndGet();
            suppressedTotal.incrementAndGet();
            return;
        }
        long suppressed = window.suppressed.getAndSet(0);
        logger.log(level, suppressed == 0 ? message : message + " (" + suppressed + " similar suppressed)");
    }

    private static final class Window {
        final AtomicLong lastLogged = new AtomicLong();
        final AtomicLong suppressed = new AtomicLong();
    }
}
