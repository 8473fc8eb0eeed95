package io.portcullis.agent.sidecar;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongToIntFunction;

/**
 * Deletes expired entries of a conntrack map every {@link #INTERVAL} on a daemon thread. The BPF
 * programs already ignore expired entries; the sweep frees their room before the LRU has to evict
 * live flows to make some.
 */
final class ConntrackSweeper implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ConntrackSweeper.class.getName());
    static final Duration INTERVAL = Duration.ofSeconds(30);

    private final String table;
    private final LongToIntFunction sweep;
    private final ScheduledExecutorService executor;

    /**
     * @param table what the map holds, for logs
     * @param sweep deletes the entries expired at the given {@code System.nanoTime()}; returns how many
     */
    ConntrackSweeper(String table, LongToIntFunction sweep) {
        this(table, sweep, INTERVAL);
    }

    ConntrackSweeper(String table, LongToIntFunction sweep, Duration interval) {
        this.table = table;
        this.sweep = sweep;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "portcullis-sweep-" + table);
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::sweep, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void sweep() {
        try {
            int deleted = sweep.applyAsInt(System.nanoTime());
            if (deleted > 0) {
                LOG.log(System.Logger.Level.DEBUG, table + " sweep removed " + deleted + " expired entries");
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, table + " sweep failed: " + e.getMessage());
        }
    }

    /** Stops sweeping, waiting for a sweep under way so that the map is not closed under it. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
