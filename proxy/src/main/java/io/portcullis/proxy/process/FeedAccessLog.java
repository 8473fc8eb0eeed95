package io.portcullis.proxy.process;

import io.portcullis.proxy.accesslog.AccessLog;
import io.portcullis.proxy.accesslog.AccessLogEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The access log as the agent's watchers see it: while someone watches, entries are queued
 * (bounded) and sent in batches every {@value #INTERVAL_MS} ms from a thread of their own. A
 * watcher that cannot keep up loses records, never the proxy its speed; unwatched, an entry
 * costs one volatile read.
 */
final class FeedAccessLog implements AccessLog {
    static final long INTERVAL_MS = 50;
    private static final int CAPACITY = 16_384;

    private final BlockingQueue<AccessLogEntry> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "portcullis-proxy-monitor");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean watched;
    private AgentFeed feed;

    void start(AgentFeed target) {
        this.feed = target;
        sender.scheduleWithFixedDelay(this::send, INTERVAL_MS, INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    void watched(boolean value) {
        watched = value;
        if (!value) {
            queue.clear();
        }
    }

    @Override
    public void log(AccessLogEntry entry) {
        if (watched) {
            queue.offer(entry);
        }
    }

    private void send() {
        List<AccessLogEntry> batch = new ArrayList<>();
        queue.drainTo(batch);
        if (batch.isEmpty()) {
            return;
        }
        List<String> records = new ArrayList<>(batch.size());
        for (AccessLogEntry entry : batch) {
            records.add(entry.toJson());
        }
        feed.sendRecords(records);
    }

    @Override
    public void close() {
        sender.shutdownNow();
    }
}
