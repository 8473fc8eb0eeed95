package io.portcullis.bpf.sidecar;

import io.portcullis.bpf.BpfMap;
import io.portcullis.bpf.maps.CtKey;
import io.portcullis.bpf.maps.CtLifetime;
import io.portcullis.bpf.maps.CtValue;
import java.util.Optional;
import java.util.function.ToLongBiFunction;

/**
 * Reclaims expired conntrack entries. The programs already ignore an entry past its lifetime, so
 * the sweep changes no verdict: it frees room before the LRU would have to evict live flows.
 */
public final class CtGc {
    private CtGc() {
    }

    /**
     * Deletes the entries expired at nowNs ({@link System#nanoTime}: CLOCK_MONOTONIC, the clock
     * of {@code bpf_ktime_get_ns}); returns how many it deleted. A flow idle for its whole
     * lifetime that wakes up between the read and the delete loses its entry: its next packet is
     * judged by policy as a new flow, which is what it would have been a moment earlier anyway.
     */
    public static int sweep(BpfMap<CtKey, CtValue> conntrack, long nowNs) {
        return sweep(conntrack, (key, value) -> CtLifetime.remainingNs(key, value, nowNs));
    }

    /**
     * The same for any conntrack map (bpf_lb's too): deletes the entries whose remaining lifetime
     * is zero or less; returns how many it deleted.
     */
    public static <K, V> int sweep(BpfMap<K, V> conntrack, ToLongBiFunction<K, V> remainingNs) {
        int deleted = 0;
        for (K key : conntrack.keys()) {
            Optional<V> value = conntrack.lookup(key);
            if (value.isPresent() && remainingNs.applyAsLong(key, value.get()) <= 0 && conntrack.delete(key)) {
                deleted++;
            }
        }
        return deleted;
    }
}
