package io.portcullis.tests.steering;

import java.net.ConnectException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What one kind of load saw in the current phase of {@link RestartLoadMain}: requests that
 * succeeded (with their latencies), failures (connections refused counted apart: that is what
 * a client sees while no proxy listens), the first few failure messages and the longest time
 * without a success. {@link #takePhase} reports the phase and starts the next.
 */
final class LoadStats {
    private static final int KEPT_ERRORS = 5;
    private final Map<String, Kind> kinds = new ConcurrentHashMap<>();

    void ok(String kind, long startNanos) {
        kind(kind).ok(System.nanoTime(), System.nanoTime() - startNanos);
    }

    void failed(String kind, Throwable failure) {
        kind(kind).failed(refusal(failure), failure.toString());
    }

    void failed(String kind, String failure) {
        kind(kind).failed(false, failure);
    }

    private static boolean refusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || String.valueOf(t.getMessage()).contains("Connection refused")) {
                return true;
            }
        }
        return false;
    }

    private Kind kind(String name) {
        return kinds.computeIfAbsent(name, k -> new Kind());
    }

    /** Every kind's figures since the previous call, by kind name. */
    Map<String, Map<String, Object>> takePhase() {
        Map<String, Map<String, Object>> phase = new LinkedHashMap<>();
        long now = System.nanoTime();
        kinds.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(entry -> phase.put(entry.getKey(), entry.getValue().take(now)));
        return phase;
    }

    private static final class Kind {
        private final List<Long> latencies = new ArrayList<>();
        private final List<String> errors = new ArrayList<>();
        private long failures;
        private long refused;
        private long lastSuccess = System.nanoTime();
        private long maxGap;

        synchronized void ok(long now, long latency) {
            latencies.add(latency);
            maxGap = Math.max(maxGap, now - lastSuccess);
            lastSuccess = now;
        }

        synchronized void failed(boolean refusal, String message) {
            if (refusal) {
                refused++;
            } else {
                failures++;
            }
            if (errors.size() < KEPT_ERRORS) {
                errors.add(message);
            }
        }

        synchronized Map<String, Object> take(long now) {
            Map<String, Object> figures = new LinkedHashMap<>();
            latencies.sort(null);
            figures.put("ok", latencies.size());
            figures.put("failed", failures);
            figures.put("refused", refused);
            figures.put("p99Ms", latencies.isEmpty() ? 0 : millis(latencies.get((int) Math.ceil(latencies.size()
                    * 0.99) - 1)));
            figures.put("maxGapMs", millis(Math.max(maxGap, now - lastSuccess)));
            figures.put("errors", List.copyOf(errors));
            latencies.clear();
            errors.clear();
            failures = 0;
            refused = 0;
            maxGap = 0;
            lastSuccess = now;
            return figures;
        }

        private static double millis(long nanos) {
            return TimeUnit.NANOSECONDS.toMicros(nanos) / 1000.0;
        }
    }
}
