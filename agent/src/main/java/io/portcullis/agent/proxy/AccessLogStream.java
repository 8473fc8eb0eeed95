package io.portcullis.agent.proxy;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The proxy's access-log records as they arrive over the feed, fanned out to the agent's watchers
 * (the flow stream of {@code portcullis observe}, tests). Subscribers are called on the feed's event loop and must
 * hand off rather than block. The proxy sends records only while someone watches: the count of
 * watchers goes to {@code watchersChanged}.
 */
public final class AccessLogStream {
    private static final System.Logger LOG = System.getLogger(AccessLogStream.class.getName());
    private final CopyOnWriteArrayList<Consumer<String>> subscribers = new CopyOnWriteArrayList<>();
    private volatile IntConsumer watchersChanged = count -> { };

    /** Starts delivering every later record (one JSON object) to {@code subscriber}; close the result to stop. */
    public Subscription subscribe(Consumer<String> subscriber) {
        subscribers.add(subscriber);
        watchersChanged.accept(subscribers.size());
        return () -> {
            if (subscribers.remove(subscriber)) {
                watchersChanged.accept(subscribers.size());
            }
        };
    }

    public int watchers() {
        return subscribers.size();
    }

    void onWatchersChanged(IntConsumer listener) {
        watchersChanged = listener;
    }

    /** Delivers one record (one JSON object) to every watcher: the proxy's, and the agent's own (DNS). */
    public void publish(String record) {
        for (Consumer<String> subscriber : subscribers) {
            try {
                subscriber.accept(record);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "access-log watcher failed", e);
            }
        }
    }

    /** A live subscription. */
    @FunctionalInterface
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
