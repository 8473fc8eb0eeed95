package io.portcullis.bpf.lb;

import java.util.BitSet;

/**
 * Ids 1..max handed out round-robin: the next free id after the last one handed out, wrapping
 * around. A freed id is thus not handed out again until the others have been, so state that still
 * names it (a flow's conntrack entry) is unlikely to meet its successor; the datapath checks
 * anyway. Ids read back from the maps are marked taken.
 */
final class IdPool {
    private final String what;
    private final int max;
    private final BitSet taken = new BitSet();
    private int last;

    IdPool(String what, int max) {
        this.what = what;
        this.max = max;
    }

    int allocate() {
        int id = nextFree(last + 1);
        if (id < 0) {
            id = nextFree(1);
        }
        if (id < 0) {
            throw new IllegalStateException("all " + max + " " + what + " ids are in use: remove services"
                    + " (or backends) before adding more");
        }
        taken.set(id);
        last = id;
        return id;
    }

    private int nextFree(int from) {
        if (from > max) {
            return -1;
        }
        int id = taken.nextClearBit(from);
        return id > max ? -1 : id;
    }

    /** How many more ids {@link #allocate} can hand out. */
    int free() {
        return max - taken.get(1, max + 1).cardinality();
    }

    void take(int id) {
        taken.set(id);
    }

    void release(int id) {
        taken.clear(id);
    }

    /** Forgets every id taken (the round-robin position stays), to re-adopt the maps. */
    void clear() {
        taken.clear();
    }
}
