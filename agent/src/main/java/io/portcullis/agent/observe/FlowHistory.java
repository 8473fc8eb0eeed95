package io.portcullis.agent.observe;

import io.portcullis.agent.proxy.AccessLogStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The merged flow stream: every access-log record of the proxy and every kernel flow, the last
 * {@link #CAPACITY} kept for {@code --last} and {@code --since}, each new one handed to the live
 * subscribers. Publishers are the feed's event loop and the kernel reader's thread; subscribers are
 * called under the history's lock, so a new subscriber's replay and its live records neither
 * overlap nor leave a gap, and must hand off rather than block.
 */
public final class FlowHistory {
    /** Records kept: as Hubble's default ring of 4095 flows, a few megabytes at most. */
    public static final int CAPACITY = 4096;
    private static final System.Logger LOG = System.getLogger(FlowHistory.class.getName());

    private final int capacity;
    private final ArrayDeque<FlowRecord> records;
    private final List<Consumer<FlowRecord>> subscribers = new CopyOnWriteArrayList<>();

    public FlowHistory(int capacity) {
        this.capacity = capacity;
        this.records = new ArrayDeque<>(capacity);
    }

    /**
     * A history fed by the proxy's access-log records. It watches the stream for as long as the
     * agent runs, so the proxy sends its records whether or not someone observes.
     */
    public static FlowHistory following(AccessLogStream accessLog) {
        FlowHistory history = new FlowHistory(CAPACITY);
        accessLog.subscribe(json -> history.publish(new FlowRecord(json)));
        return history;
    }

    public synchronized void publish(FlowRecord record) {
        if (records.size() == capacity) {
            records.removeFirst();
        }
        records.addLast(record);
        for (Consumer<FlowRecord> subscriber : subscribers) {
            try {
                subscriber.accept(record);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "flow subscriber failed", e);
            }
        }
    }

    /** The records kept, oldest first. */
    public synchronized List<FlowRecord> snapshot() {
        return new ArrayList<>(records);
    }

    /**
     * Hands the records kept to {@code replay} (oldest first) and then, when {@code live} is not
     * null, every later record to it until the subscription is closed.
     */
    public synchronized Subscription replayAndSubscribe(Consumer<List<FlowRecord>> replay,
            Consumer<FlowRecord> live) {
        replay.accept(new ArrayList<>(records));
        if (live == null) {
            return () -> { };
        }
        subscribers.add(live);
        return () -> subscribers.remove(live);
    }

    /** A live subscription. */
    @FunctionalInterface
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
