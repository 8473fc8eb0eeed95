package io.portcullis.proxy.accesslog;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * In-memory fan-out: the agent's monitor stream and tests attach here. Subscribers are called
 * on the event-loop thread that made the entry, so they must hand off (e.g. offer to a bounded
 * queue) rather than block; a throwing subscriber is logged and kept.
 */
public final class AccessLogSubscribers implements AccessLog {
    private static final System.Logger LOG = System.getLogger(AccessLogSubscribers.class.getName());
    private final CopyOnWriteArrayList<Consumer<AccessLogEntry>> subscribers = new CopyOnWriteArrayList<>();

    /** Starts delivering every later entry to {@code subscriber}; close the result to stop. */
    public Subscription subscribe(Consumer<AccessLogEntry> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    @Override
    public void log(AccessLogEntry entry) {
        for (Consumer<AccessLogEntry> subscriber : subscribers) {
            try {
                subscriber.accept(entry);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "access-log subscriber failed", e);
            }
        }
    }

    @Override
    public void close() {
        subscribers.clear();
    }

    /** A live subscription. */
    @FunctionalInterface
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
