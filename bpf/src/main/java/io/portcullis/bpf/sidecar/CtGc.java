package io.portcullis.bpf.sidecar;

import io.portcullis.bpf.BpfMap;
import io.portcullis.bpf.maps.CtKey;
import io.portcullis.bpf.maps.CtLifetime;
import io.portcullis.bpf.maps.CtValue;
import java.util.Optional;

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
        int deleted = 0;
        for (CtKey key : conntrack.keys()) {
            Optional<CtValue> value = conntrack.lookup(key);
            if (value.isPresent() && CtLifetime.remainingNs(key, value.get(), nowNs) <= 0 && conntrack.delete(key)) {
                deleted++;
            }
        }
        return deleted;
    }
}
