package io.portcullis.bpf.maps;

import java.util.List;

/**
 * Names of the pinned maps shared between BPF objects (LIBBPF_PIN_BY_NAME) and the agent. The
 * {@code _vN} suffix is bumped whenever a key or value layout changes, so a new agent never
 * reuses a pinned map of the old layout; it creates the new one beside it.
 */
public final class MapNames {
    /** {@link IpcacheKey} -> {@link IpcacheValue}, LPM trie. */
    public static final String IPCACHE = "portcullis_ipcache_v1";
    /** {@link PolicyKey} -> {@link PolicyValue}, LPM trie. */
    public static final String POLICY = "portcullis_policy_v1";
    /** {@link CtKey} -> {@link CtValue}, LRU hash. */
    public static final String CONNTRACK = "portcullis_ct_v1";
    /** {@link SockKey} -> socket, sockhash. */
    public static final String SOCKHASH = "portcullis_sockhash_v1";
    /** socket cookie (u64) -> {@link OrigDstValue}, LRU hash. */
    public static final String ORIGDST_BY_COOKIE = "portcullis_origdst_cookie_v1";
    /** {@link SockKey} (client side) -> {@link OrigDstValue}, LRU hash. */
    public static final String ORIGDST = "portcullis_origdst_v1";
    /** {@link PrefilterHashKey} -> {@link PrefilterValue}, hash. */
    public static final String PREFILTER_HASH = "portcullis_prefilter_hash_v1";
    /** {@link PrefilterLpmKey} -> {@link PrefilterValue}, LPM trie. */
    public static final String PREFILTER_LPM = "portcullis_prefilter_lpm_v1";
    /** {@link FragKey} -> {@link FragPorts}, LRU hash: ports of fragmented datagrams. */
    public static final String FRAGMENTS = "portcullis_frag_v1";
    /** cgroup v2 id (u64) -> {@link EndpointValue}, hash: who connects, for connect4. */
    public static final String ENDPOINTS = "portcullis_endpoints_v1";
    /** 0 (u32) -> {@link SteeringConfig}, array of one. */
    public static final String STEERING = "portcullis_steering_v1";
    /** counter (u32, {@link SteerCounter}) -> u64 per CPU, array. */
    public static final String STEER_COUNTERS = "portcullis_steer_counters_v1";
    /** reason (u32, {@link DropReason}) -> {@link DropCounter} per CPU, array. */
    public static final String DROPS = "portcullis_drops_v1";

    public static final List<String> ALL = List.of(IPCACHE, POLICY, CONNTRACK, SOCKHASH, ORIGDST_BY_COOKIE, ORIGDST,
            PREFILTER_HASH, PREFILTER_LPM, FRAGMENTS, DROPS, ENDPOINTS, STEERING, STEER_COUNTERS);

    private MapNames() {
    }
}
