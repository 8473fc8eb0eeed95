package io.portcullis.bpf;

import java.nio.file.Path;

/**
 * How full a pinned map is: its entries against its capacity. Arrays are always full by
 * construction (every index exists), so their fill says nothing and {@link #of} reports none.
 *
 * @param name       the pin's name (the map's full name)
 * @param entries    entries counted by walking the keys; concurrent changes may or may not be seen
 * @param maxEntries the map's capacity
 */
public record MapFill(String name, long entries, int maxEntries) {
    private static final int BPF_MAP_TYPE_ARRAY = 2;
    private static final int BPF_MAP_TYPE_PERCPU_ARRAY = 6;

    /** The fraction of the capacity in use, 0 to 1. */
    public double pressure() {
        return maxEntries == 0 ? 0 : (double) entries / maxEntries;
    }

    /** Whether the map type has a fill worth reporting (every type but arrays). */
    static boolean fillable(MapInfo info) {
        return info.type() != BPF_MAP_TYPE_ARRAY && info.type() != BPF_MAP_TYPE_PERCPU_ARRAY;
    }

    /**
     * Opens the map pinned at {@code pin} and counts its keys; null for an array.
     *
     * @throws BpfException when it cannot be opened or walked
     */
    public static MapFill of(Path pin) {
        int fd = Native.check("bpf_obj_get", "opening pinned map " + pin,
                () -> Native.libbpf().bpf_obj_get(pin.toString()));
        try {
            MapInfo info = BpfMap.readInfo(fd);
            if (!fillable(info)) {
                return null;
            }
            long entries = 0;
            byte[] current = null;
            // A hash walk restarts when its cursor is deleted meanwhile: never count past the capacity.
            while (entries < info.maxEntries()) {
                byte[] previous = current;
                byte[] next = new byte[info.keySize()];
                if (!Native.checkFound("bpf_map_get_next_key", "counting the entries of " + pin,
                        () -> Native.libbpf().bpf_map_get_next_key(fd, previous, next))) {
                    return new MapFill(pin.getFileName().toString(), entries, info.maxEntries());
                }
                entries++;
                current = next;
            }
            return new MapFill(pin.getFileName().toString(), entries, info.maxEntries());
        } finally {
            Native.libc().close(fd);
        }
    }
}
