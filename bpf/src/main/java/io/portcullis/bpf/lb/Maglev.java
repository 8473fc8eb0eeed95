package io.portcullis.bpf.lb;

import io.portcullis.bpf.maps.LbMaglevTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The Maglev lookup table (Eisenbud et al., NSDI 2016, section 3.4) of a service: {@link #SLOTS}
 * slots, each naming a backend. Every backend has a permutation of the slots from two hashes of
 * its address and port (offset in 0..M-1, skip in 1..M-1, M prime so each permutation visits
 * every slot); backends take turns claiming their next free preferred slot until the table is
 * full. Each backend ends up with M/N slots (give or take one), and removing a backend mostly
 * reassigns only its own slots. The table depends on the set of backends, not their order.
 */
public final class Maglev {
    /** Slots of the table: C {@code LB_MAGLEV_SIZE}. */
    public static final int SLOTS = LbMaglevTable.SLOTS;
    private static final int OFFSET_SEED = 0x4d61676c; // "Magl"
    private static final int SKIP_SEED = 0x65764c42;   // "evLB"

    private Maglev() {
    }

    /** For each slot, the index in {@code backends} of the backend it picks. */
    public static int[] table(List<LbBackend> backends) {
        if (backends.isEmpty()) {
            throw new IllegalArgumentException("a Maglev table needs at least one backend");
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < backends.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparing(backends::get, LbBackend.ORDER));
        int n = order.size();
        int[] offset = new int[n];
        int[] skip = new int[n];
        int[] next = new int[n];
        for (int i = 0; i < n; i++) {
            LbBackend backend = backends.get(order.get(i));
            int address = (int) Addresses.unsigned(backend.address());
            offset[i] = Integer.remainderUnsigned(FlowHash.of(OFFSET_SEED, address, backend.port()), SLOTS);
            skip[i] = Integer.remainderUnsigned(FlowHash.of(SKIP_SEED, address, backend.port()), SLOTS - 1) + 1;
        }
        int[] table = new int[SLOTS];
        Arrays.fill(table, -1);
        int filled = 0;
        while (true) {
            for (int i = 0; i < n; i++) {
                int slot = preferred(offset[i], skip[i], next[i]);
                while (table[slot] >= 0) {
                    next[i]++;
                    slot = preferred(offset[i], skip[i], next[i]);
                }
                table[slot] = order.get(i);
                next[i]++;
                if (++filled == SLOTS) {
                    return table;
                }
            }
        }
    }

    /** The slot a flow with this hash (as {@link FlowHash} computes it) lands in. */
    public static int slotOf(int flowHash) {
        return Integer.remainderUnsigned(flowHash, SLOTS);
    }

    private static int preferred(int offset, int skip, int j) {
        return (int) ((offset + (long) j * skip) % SLOTS);
    }
}
