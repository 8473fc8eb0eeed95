package io.portcullis.bpf.lb;

import java.util.BitSet;

/** Ids 1..max handed out lowest-free-first; ids read back from the maps are marked taken. */
final class IdPool {
    private final String what;
    private final int max;
    private final BitSet taken = new BitSet();

    IdPool(String what, int max) {
        this.what = what;
        this.max = max;
    }

    int allocate() {
        int id = taken.nextClearBit(1);
        if (id > max || id < 0) {
            throw new IllegalStateException("all " + max + " " + what + " ids are in use: remove services"
                    + " (or backends) before adding more");
        }
        taken.set(id);
        return id;
    }

    void take(int id) {
        taken.set(id);
    }

    void release(int id) {
        taken.clear(id);
    }
}
