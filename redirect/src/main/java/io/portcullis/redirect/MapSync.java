package io.portcullis.redirect;

import io.portcullis.bpf.BpfMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Brings a BPF map to a desired content in two phases, so that readers in the kernel never miss
 * an entry that is in both the old and the new content: {@link #upsert} writes what is new or
 * changed (each update replaces atomically), {@link #prune} then removes what is no longer wanted.
 * The current content is read from the map itself, so a restarted agent converges on what an
 * earlier one pinned.
 */
final class MapSync<K, V> {
    private final BpfMap<K, V> map;
    private final Map<K, V> desired;
    private final Map<K, V> current;

    MapSync(BpfMap<K, V> map, Map<K, V> desired) {
        this.map = map;
        this.desired = desired;
        this.current = map.entries();
    }

    /** Writes new and changed entries; returns how many. */
    int upsert() {
        int written = 0;
        for (Map.Entry<K, V> entry : desired.entrySet()) {
            if (!entry.getValue().equals(current.get(entry.getKey()))) {
                map.put(entry.getKey(), entry.getValue());
                written++;
            }
        }
        return written;
    }

    /** Deletes entries that are not desired; returns how many. */
    int prune() {
        List<K> stale = new ArrayList<>();
        for (K key : current.keySet()) {
            if (!desired.containsKey(key)) {
                stale.add(key);
            }
        }
        for (K key : stale) {
            map.delete(key);
        }
        return stale.size();
    }
}
