package io.portcullis.proxy.accesslog;

import com.fasterxml.jackson.core.JsonGenerator;
import io.portcullis.proxy.logging.RateLimitedLogger;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * JSON lines to a stream (stdout or an appended file), written by one background thread so the
 * event loop never waits on the disk. Entries go through a bounded lock-free queue that the writer
 * drains every {@value #DRAIN_INTERVAL_MS} ms: producers never wake it, since a wake-up per
 * request costs a futex call and, on a busy core, a context switch. When the queue is full the
 * entry is dropped and counted (logged, rate-limited) rather than stalling traffic. Each drain
 * ends with a flush; {@link #close} drains the queue and flushes.
 */
public final class StreamAccessLog implements AccessLog {
    static final long DRAIN_INTERVAL_MS = 20;
    private static final int QUEUE_CAPACITY = 65_536;
    private static final RateLimitedLogger DROPS =
            new RateLimitedLogger(System.getLogger(StreamAccessLog.class.getName()), 10, TimeUnit.SECONDS);

    private final String name;
    private final OutputStream out;
    private final JsonGenerator json;
    private final EndpointCache endpoints = new EndpointCache();
    private final boolean closeStream;
    private final Queue<AccessLogEntry> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    private volatile boolean closed;

    private StreamAccessLog(String name, OutputStream stream, boolean closeStream) throws IOException {
        this.name = name;
        this.out = new BufferedOutputStream(stream, 64 * 1024);
        this.json = AccessLogJson.lineGenerator(out);
        this.closeStream = closeStream;
        this.writer = new Thread(this::run, "access-log-" + name);
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Writes to standard output; closing flushes but leaves stdout open. */
    public static StreamAccessLog stdout() throws IOException {
        return new StreamAccessLog("stdout", System.out, false);
    }

    /** Appends to {@code file}, creating it (not its directories) if needed. */
    public static StreamAccessLog file(Path file) throws IOException {
        OutputStream stream = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
        return new StreamAccessLog(file.toString(), stream, true);
    }

    /** Entries dropped because the writer could not keep up. */
    public long dropped() {
        return dropped.get();
    }

    @Override
    public void log(AccessLogEntry entry) {
        if (closed || queued.incrementAndGet() > QUEUE_CAPACITY) {
            queued.decrementAndGet();
            long total = dropped.incrementAndGet();
            DROPS.log(System.Logger.Level.WARNING, name, "access log " + name + " cannot keep up or is closed; "
                    + total + " entries dropped so far");
            return;
        }
        queue.offer(entry);
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(writer);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            while (true) {
                boolean closing = closed;
                for (AccessLogEntry entry = queue.poll(); entry != null; entry = queue.poll()) {
                    queued.decrementAndGet();
                    AccessLogJson.writeLine(entry, json, endpoints);
                }
                json.flush();
                if (closing) {
                    break;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(DRAIN_INTERVAL_MS));
            }
        } catch (IOException e) {
            System.getLogger(StreamAccessLog.class.getName())
                    .log(System.Logger.Level.ERROR, "access log " + name + " failed; no further entries are written", e);
            closed = true;
        } finally {
            try {
                json.flush();
                out.flush();
                if (closeStream) {
                    out.close();
                }
            } catch (IOException ignored) {
                // Nothing left to report to: the stream itself is what failed.
            }
        }
    }
}
