package io.portcullis.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Label values from an unbounded set (Kafka topic names): the first {@code cap} distinct values
 * keep their own value, every later one is {@link #OTHER}, so a client inventing names cannot grow
 * the number of series without bound. Safe from any thread; a race at the cap may let one or two
 * values more through, never an unbounded number.
 */
public final class CappedLabel {
    public static final String OTHER = "other";
    private final int cap;
    private final Set<String> admitted = ConcurrentHashMap.newKeySet();

    public CappedLabel(int cap) {
        if (cap < 1) {
            throw new IllegalArgumentException("cap must be at least 1, found " + cap);
        }
        this.cap = cap;
    }

    /** {@code value} itself while it is one of the first {@code cap} seen, {@link #OTHER} otherwise. */
    public String of(String value) {
        if (admitted.contains(value)) {
            return value;
        }
        if (admitted.size() < cap && !OTHER.equals(value)) {
            admitted.add(value);
            return value;
        }
        return OTHER;
    }
}
