package io.portcullis.agent.sidecar;

import io.portcullis.bpf.BpfMap;
import io.portcullis.bpf.MapFill;
import io.portcullis.bpf.lb.LbService;
import io.portcullis.bpf.lb.LoadBalancer;
import io.portcullis.bpf.maps.CtKey;
import io.portcullis.bpf.maps.CtLifetime;
import io.portcullis.bpf.maps.CtValue;
import io.portcullis.bpf.maps.DropCounter;
import io.portcullis.bpf.maps.DropReason;
import io.portcullis.bpf.maps.IpcacheValue;
import io.portcullis.bpf.maps.Ipv4PrefixKey;
import io.portcullis.bpf.maps.LbCtDirection;
import io.portcullis.bpf.maps.LbCtKey;
import io.portcullis.bpf.maps.LbCtValue;
import io.portcullis.bpf.maps.MapNames;
import io.portcullis.bpf.maps.PolicyKey;
import io.portcullis.bpf.maps.PolicyValue;
import io.portcullis.bpf.maps.PolicyVerdict;
import io.portcullis.bpf.maps.SockKey;
import io.portcullis.bpf.maps.StructCodec;
import io.portcullis.bpf.maps.TrafficCounters;
import io.portcullis.bpf.maps.TrafficDirection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The live pinned maps as rows for the API ({@code bpf ... list}), read straight from bpffs so they
 * show what the kernel enforces, whoever wrote it (the service maps through the running load
 * balancer, which reads them back). Each row is an ordered map of readable fields; the CLI prints
 * them as a table.
 */
public final class DatapathMaps {
    private final Path pinRoot;
    private final Optional<ServiceDatapath> services;

    /** @param services the running load balancer, whose {@code lb} listing needs its loaded object */
    public DatapathMaps(Path pinRoot, Optional<ServiceDatapath> services) {
        this.pinRoot = pinRoot;
        this.services = services;
    }

    /** The rows of one map: policy, ipcache, ct, sockmap or lb; unknown names fail. */
    public List<Map<String, Object>> list(String map) {
        switch (map) {
            case "policy":
                return policy();
            case "ipcache":
                return ipcache();
            case "ct":
                return conntrack(System.nanoTime());
            case "sockmap":
                return sockmap();
            case "lb":
                return loadBalancer();
            default:
                throw new NoSuchElementException("no BPF map listing named '" + map
                        + "'; use policy, ipcache, ct, lb or sockmap");
        }
    }

    /** Packets and bytes dropped per reason, summed over CPUs; empty when nothing is pinned yet. */
    public List<Map<String, Object>> drops() {
        if (!Files.exists(pinRoot.resolve(MapNames.DROPS))) {
            return List.of();
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        try (BpfMap<Integer, DropCounter> drops = open(MapNames.DROPS, StructCodec.U32, DropCounter.CODEC)) {
            for (DropReason reason : DropReason.values()) {
                DropCounter sum = DropCounter.sum(drops.lookupPerCpu(reason.code()).orElseThrow());
                rows.add(row("reason", reason.label(), "packets", sum.packets(), "bytes", sum.bytes()));
            }
        }
        return rows;
    }

    /**
     * Packets and bytes per direction, dropped per reason (the reason's label), forwarded (reason
     * {@code forwarded}) and, among those, let through by audit mode although policy denies them
     * (reason {@code audit}), summed over CPUs; empty when nothing is pinned yet.
     */
    public List<Map<String, Object>> traffic() {
        if (!Files.exists(pinRoot.resolve(MapNames.TRAFFIC))) {
            return List.of();
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        try (BpfMap<Integer, DropCounter> traffic = open(MapNames.TRAFFIC, StructCodec.U32, DropCounter.CODEC)) {
            for (TrafficDirection direction : TrafficDirection.values()) {
                DropCounter forwarded = DropCounter.sum(traffic.lookupPerCpu(
                        TrafficCounters.index(direction, TrafficCounters.FORWARDED)).orElseThrow());
                rows.add(row("direction", direction.name(), "reason", "forwarded", "packets", forwarded.packets(),
                        "bytes", forwarded.bytes()));
                DropCounter audited = DropCounter.sum(traffic.lookupPerCpu(
                        TrafficCounters.index(direction, TrafficCounters.AUDITED)).orElseThrow());
                rows.add(row("direction", direction.name(), "reason", "audit", "packets", audited.packets(),
                        "bytes", audited.bytes()));
                for (DropReason reason : DropReason.values()) {
                    DropCounter sum = DropCounter.sum(traffic.lookupPerCpu(
                            TrafficCounters.index(direction, reason.code())).orElseThrow());
                    rows.add(row("direction", direction.name(), "reason", reason.label(), "packets", sum.packets(),
                            "bytes", sum.bytes()));
                }
            }
        }
        return rows;
    }

    /**
     * Live north-south connections per service frontend and backend (the forward entries of the
     * load balancer's conntrack that have not expired), keyed by {@code [frontend, backend]} as
     * {@code IP:PORT}; empty when the load balancer's maps are not pinned.
     */
    public Map<List<String>, Long> backendConnections(long nowNs) {
        Map<List<String>, Long> counts = new LinkedHashMap<>();
        if (!Files.exists(pinRoot.resolve(MapNames.LB_CONNTRACK))) {
            return counts;
        }
        try (BpfMap<LbCtKey, LbCtValue> ct = open(MapNames.LB_CONNTRACK, LbCtKey.CODEC, LbCtValue.CODEC)) {
            ct.entries().forEach((key, value) -> {
                if (key.direction() == LbCtDirection.FORWARD
                        && CtLifetime.remainingNs(key.protocol(), value.flags(), value.lastSeenNs(), nowNs) > 0) {
                    counts.merge(List.of(value.vip().getHostAddress() + ":" + value.vport(),
                            value.backendAddr().getHostAddress() + ":" + value.backendPort()), 1L, Long::sum);
                }
            });
        }
        return counts;
    }

    /** The fill of every pinned map of ours that has one. */
    public List<MapFill> fills() {
        List<MapFill> fills = new ArrayList<>();
        for (String name : MapNames.ALL) {
            Path pin = pinRoot.resolve(name);
            if (Files.exists(pin)) {
                MapFill fill = MapFill.of(pin);
                if (fill != null) {
                    fills.add(fill);
                }
            }
        }
        return fills;
    }

    private List<Map<String, Object>> policy() {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (BpfMap<PolicyKey, PolicyValue> policy = open(MapNames.POLICY, PolicyKey.CODEC, PolicyValue.CODEC)) {
            policy.entries().forEach((key, value) -> rows.add(row("identity", key.localId(),
                    "direction", key.direction().name().toLowerCase(),
                    "remote", key.remoteId() == PolicyKey.ANY_REMOTE ? "any" : key.remoteId(),
                    "protocol", key.prefixLen() < PolicyKey.PREFIX_ANY_PORT ? "any" : protocol(key.protocol()),
                    "ports", ports(key), "verdict", value.verdict().name().toLowerCase(),
                    "proxyPort", value.verdict() == PolicyVerdict.PROXY ? value.proxyPort() : null,
                    "rule", value.ruleId())));
        }
        return rows;
    }

    private List<Map<String, Object>> ipcache() {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (BpfMap<Ipv4PrefixKey, IpcacheValue> ipcache = open(MapNames.IPCACHE, Ipv4PrefixKey.CODEC, IpcacheValue.CODEC)) {
            ipcache.entries().forEach((key, value) -> rows.add(row("prefix",
                    key.addr().getHostAddress() + "/" + key.prefixLen(), "identity", value.identity(),
                    "localEndpoint", (value.flags() & IpcacheValue.FLAG_LOCAL_ENDPOINT) != 0,
                    "audit", (value.flags() & IpcacheValue.FLAG_AUDIT) != 0)));
        }
        return rows;
    }

    List<Map<String, Object>> conntrack(long nowNs) {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (BpfMap<CtKey, CtValue> ct = open(MapNames.CONNTRACK, CtKey.CODEC, CtValue.CODEC)) {
            ct.entries().forEach((key, value) -> {
                long remainingNs = CtLifetime.remainingNs(key, value, nowNs);
                if (remainingNs > 0) {
                    rows.add(row("protocol", protocol(key.protocol()),
                            "source", key.saddr().getHostAddress() + ":" + key.sport(),
                            "destination", key.daddr().getHostAddress() + ":" + key.dport(),
                            "direction", key.direction().name().toLowerCase(), "identity", value.srcIdentity(),
                            "state", state(key, value), "packets", value.packets(), "bytes", value.bytes(),
                            "expiresInSeconds", remainingNs / 1_000_000_000L));
                }
            });
        }
        return rows;
    }

    /** One row per backend; a frontend without backends is one row with backend {@code none}. */
    private List<Map<String, Object>> loadBalancer() {
        ServiceDatapath datapath = services.orElseThrow(() -> new IllegalStateException(
                "no service load balancer: services need datapath: bpf"));
        return loadBalancerRows(datapath.entries());
    }

    static List<Map<String, Object>> loadBalancerRows(List<LoadBalancer.Entry> entries) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (LoadBalancer.Entry entry : entries) {
            LbService service = entry.service();
            String algorithm = service.algorithm().spelling();
            if (service.backends().isEmpty()) {
                rows.add(row("serviceId", entry.serviceId(), "frontend", service.frontend().toString(),
                        "algorithm", algorithm, "backendId", null, "backend", "none"));
            }
            for (int i = 0; i < service.backends().size(); i++) {
                rows.add(row("serviceId", entry.serviceId(), "frontend", service.frontend().toString(),
                        "algorithm", algorithm, "backendId", entry.backendIds().get(i),
                        "backend", service.backends().get(i).toString()));
            }
        }
        return rows;
    }

    private List<Map<String, Object>> sockmap() {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (BpfMap<SockKey, Long> sockhash = open(MapNames.SOCKHASH, SockKey.CODEC, StructCodec.U64)) {
            sockhash.entries().forEach((key, cookie) -> rows.add(row(
                    "local", key.sip().getHostAddress() + ":" + key.sport(),
                    "remote", key.dip().getHostAddress() + ":" + key.dport(), "cookie", cookie)));
        }
        return rows;
    }

    private <K, V> BpfMap<K, V> open(String name, StructCodec<K> keys, StructCodec<V> values) {
        Path pin = pinRoot.resolve(name);
        if (!Files.exists(pin)) {
            throw new IllegalStateException("map " + name + " is not pinned under " + pinRoot
                    + ": the datapath that creates it is not running (datapath: bpf, uplink: for the prefilter)");
        }
        return BpfMap.openPinned(pin, keys, values);
    }

    private static String state(CtKey key, CtValue value) {
        String state = CtLifetime.of(key.protocol(), value.flags()) == CtLifetime.TCP_CLOSING ? "closing"
                : key.protocol() != 6 ? "active"
                : (value.flags() & CtValue.FLAG_SEEN_NON_SYN) != 0 ? "established" : "syn";
        return (value.flags() & CtValue.FLAG_PROXY) != 0 ? state + ",proxy:" + value.proxyPort() : state;
    }

    private static String ports(PolicyKey key) {
        if (key.prefixLen() <= PolicyKey.PREFIX_ANY_PORT) {
            return "any";
        }
        int width = 1 << (PolicyKey.PREFIX_FULL - key.prefixLen());
        return width == 1 ? Integer.toString(key.dport()) : key.dport() + "-" + (key.dport() + width - 1);
    }

    private static String protocol(int number) {
        switch (number) {
            case 1:
                return "icmp";
            case 6:
                return "tcp";
            case 17:
                return "udp";
            default:
                return Integer.toString(number);
        }
    }

    /** An ordered row from name, value pairs. */
    private static Map<String, Object> row(Object... pairs) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            row.put((String) pairs[i], pairs[i + 1]);
        }
        return row;
    }
}
