package io.portcullis.bpf;

/**
 * What the kernel says about a map ({@code struct bpf_map_info}): its type number
 * ({@code enum bpf_map_type}), id, key and value sizes, capacity, flags and name.
 */
public record MapInfo(int type, int id, int keySize, int valueSize, int maxEntries, int flags, String name) {
    private static final int BPF_MAP_TYPE_PERCPU_HASH = 5;
    private static final int BPF_MAP_TYPE_PERCPU_ARRAY = 6;
    private static final int BPF_MAP_TYPE_LRU_PERCPU_HASH = 10;
    private static final int BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE = 21;

    /** Per-CPU maps hold one value per possible CPU; see {@link BpfMap#lookupPerCpu}. */
    public boolean isPerCpu() {
        return type == BPF_MAP_TYPE_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_ARRAY
                || type == BPF_MAP_TYPE_LRU_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE;
    }
}
