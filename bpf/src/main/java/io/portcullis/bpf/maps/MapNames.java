package io.portcullis.bpf.maps;

import java.util.List;

/**
 * Names of the pinned maps shared between BPF objects (LIBBPF_PIN_BY_NAME) and the agent. The
 * {@code _vN} suffix is bumped whenever a key or value layout changes, so a new agent never
 * reuses a pinned map of the old layout; it creates the new one beside it.
 */
public final class MapNames {
    /** {@link Ipv4PrefixKey} -> {@link IpcacheValue}, LPM trie. */
    public static final String IPCACHE = "portcullis_ipcache_v1";
    /** {@link PolicyKey} -> {@link PolicyValue}, LPM trie: v2 since ICMP entries are keyed by message type. */
    public static final String POLICY = "portcullis_policy_v2";
    /** {@link CtKey} -> {@link CtValue}, LRU hash. */
    public static final String CONNTRACK = "portcullis_ct_v1";
    /** {@link SockKey} -> socket, sockhash. */
    public static final String SOCKHASH = "portcullis_sockhash_v1";
    /** socket -> {@link OrigDstValue}, socket-local storage: from connect4 until sockops re-keys it. */
    public static final String ORIGDST_BY_SOCKET = "portcullis_origdst_sk_v1";
    /**
     * {@link SockKey} (client side) -> {@link OrigDstValue}, LRU hash; the proxy deletes an entry when it
     * reads it at accept, bpf_sockops when the proxy's side of the connection closes.
     */
    public static final String ORIGDST = "portcullis_origdst_v1";
    /** {@link PrefilterHashKey} -> {@link PrefilterValue}, hash. */
    public static final String PREFILTER_HASH = "portcullis_prefilter_hash_v1";
    /** {@link Ipv4PrefixKey} -> {@link PrefilterValue}, LPM trie. */
    public static final String PREFILTER_LPM = "portcullis_prefilter_lpm_v1";
    /** {@link FragKey} -> {@link FragPorts}, LRU hash: ports of fragmented datagrams; v2 since ICMP ones keep the type. */
    public static final String FRAGMENTS = "portcullis_frag_v2";
    /** cgroup v2 id (u64) -> {@link EndpointValue}, hash: who connects, for connect4. */
    public static final String ENDPOINTS = "portcullis_endpoints_v1";
    /** 0 (u32) -> {@link SteeringConfig}, array of one. */
    public static final String STEERING = "portcullis_steering_v1";
    /** counter (u32, {@link SteerCounter}) -> u64 per CPU, array. */
    public static final String STEER_COUNTERS = "portcullis_steer_counters_v1";
    /**
     * reason (u32, {@link DropReason}) -> {@link DropCounter} per CPU, array of {@link DropReason#MAX}:
     * v2 since {@link DropReason#NO_SERVICE_BACKEND} grew it (libbpf never reuses a pin of another size).
     */
    public static final String DROPS = "portcullis_drops_v2";
    /**
     * index (u32, {@link TrafficCounters#index}) -> {@link DropCounter} per CPU, array: drops per
     * direction and reason, packets the endpoint programs forwarded per direction, and those of
     * them audit mode let through; v2 since the audit slot grew it.
     */
    public static final String TRAFFIC = "portcullis_traffic_v2";
    /** {@link LbServiceKey} -> {@link LbServiceValue}, hash: service frontends and their backend slots. */
    public static final String LB_SERVICES = "portcullis_lb_services_v1";
    /** backend id (u32) -> {@link LbBackendValue}, hash. */
    public static final String LB_BACKENDS = "portcullis_lb_backends_v1";
    /** service id (u32) -> {@link LbMaglevTable}, hash: lookup tables of MAGLEV services. */
    public static final String LB_MAGLEV = "portcullis_lb_maglev_v1";
    /** {@link LbCtKey} -> {@link LbCtValue}, LRU hash: north-south flows. */
    public static final String LB_CONNTRACK = "portcullis_lb_ct_v1";
    /** socket -> {@link LbSockRevNat}, socket-local storage: what getpeername() shows. */
    public static final String LB_SOCK_REVNAT = "portcullis_lb_sock_revnat_v2";
    /** socket -> its (frontend, backend) pairs, socket-local storage: unconnected UDP sockets' services. */
    public static final String LB_SOCK_UDP = "portcullis_lb_sock_udp_v2";

    /** Ring buffer of {@link FlowEvent}s: bpf_lxc's drops and new-flow verdicts, read by the agent. */
    public static final String FLOW_EVENTS = "portcullis_flow_events_v1";
    /** 0 (u32) -> the flow-event token bucket per CPU (C {@code struct flow_budget}), array of one. */
    public static final String FLOW_BUDGET = "portcullis_flow_budget_v1";
    /** cause (u32, {@link FlowLost}) -> u64 per CPU, array: flow events not delivered. */
    public static final String FLOW_LOST = "portcullis_flow_lost_v1";

    public static final List<String> ALL = List.of(IPCACHE, POLICY, CONNTRACK, SOCKHASH, ORIGDST_BY_SOCKET, ORIGDST,
            PREFILTER_HASH, PREFILTER_LPM, FRAGMENTS, DROPS, TRAFFIC, ENDPOINTS, STEERING, STEER_COUNTERS, LB_SERVICES,
            LB_BACKENDS, LB_MAGLEV, LB_CONNTRACK, LB_SOCK_REVNAT,
            LB_SOCK_UDP, FLOW_EVENTS, FLOW_BUDGET, FLOW_LOST);

    /**
     * Names earlier layouts were pinned under, which no program uses any more: the agent unpins
     * them at start ({@link io.portcullis.bpf.RetiredPins}) so an upgraded node does not keep them.
     * Per-socket state left LRU hashes by socket cookie for socket-local storage.
     */
    public static final List<String> RETIRED = List.of("portcullis_policy_v1", "portcullis_frag_v1",
            "portcullis_drops_v1", "portcullis_origdst_cookie_v1", "portcullis_lb_sock_revnat_v1",
            "portcullis_lb_sock_udp_v1", "portcullis_traffic_v1");

    private MapNames() {
    }
}
