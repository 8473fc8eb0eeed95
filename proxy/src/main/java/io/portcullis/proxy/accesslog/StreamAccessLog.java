package io.portcullis.proxy.accesslog;

import io.portcullis.proxy.logging.RateLimitedLogger;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * JSON lines to a stream (stdout or an appended file), written by one background thread so the
 * event loop never waits on the disk. Entries go through a bounded queue; when it is full the
 * entry is dropped and counted (logged, rate-limited) rather than stalling traffic. The writer
 * flushes whenever the queue runs empty and at least every {@value #FLUSH_INTERVAL_MS} ms under
 * sustained load; {@link #close} drains the queue and flushes.
 */
public final class StreamAccessLog implements AccessLog {
    static final long FLUSH_INTERVAL_MS = 100;
    private static final int QUEUE_CAPACITY = 65_536;
    private static final RateLimitedLogger DROPS =
            new RateLimitedLogger(System.getLogger(StreamAccessLog.class.getName()), 10, TimeUnit.SECONDS);

    private final String name;
    private final Writer out;
    private final boolean closeStream;
    private final BlockingQueue<AccessLogEntry> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    private volatile boolean closed;

    private StreamAccessLog(String name, OutputStream stream, boolean closeStream) {
        this.name = name;
        this.out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 64 * 1024);
        this.closeStream = closeStream;
        this.writer = new Thread(this::run, "access-log-" + name);
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Writes to standard output; closing flushes but leaves stdout open. */
    public static StreamAccessLog stdout() {
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
        if (closed || !queue.offer(entry)) {
            long total = dropped.incrementAndGet();
            DROPS.log(System.Logger.Level.WARNING, name, "access log " + name + " cannot keep up or is closed; "
                    + total + " entries dropped so far");
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<AccessLogEntry> batch = new ArrayList<>(256);
        long lastFlush = System.nanoTime();
        try {
            while (true) {
                AccessLogEntry first = queue.poll(FLUSH_INTERVAL_MS / 2, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, 255);
                    for (AccessLogEntry entry : batch) {
                        AccessLogJson.write(entry, out);
                        out.write('\n');
                    }
                    batch.clear();
                }
                boolean idle = queue.isEmpty();
                if (idle || System.nanoTime() - lastFlush > TimeUnit.MILLISECONDS.toNanos(FLUSH_INTERVAL_MS)) {
                    out.flush();
                    lastFlush = System.nanoTime();
                }
                if (closed && idle) {
                    break;
                }
            }
        } catch (IOException e) {
            System.getLogger(StreamAccessLog.class.getName())
                    .log(System.Logger.Level.ERROR, "access log " + name + " failed; no further entries are written", e);
            closed = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
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
