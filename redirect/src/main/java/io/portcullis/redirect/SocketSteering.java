package io.portcullis.redirect;

import io.portcullis.bpf.BpfFs;
import io.portcullis.bpf.BpfMap;
import io.portcullis.bpf.BpfObject;
import io.portcullis.bpf.BpfProgram;
import io.portcullis.bpf.DatapathObject;
import io.portcullis.bpf.PinnedProgram;
import io.portcullis.bpf.maps.EndpointValue;
import io.portcullis.bpf.maps.IpcacheValue;
import io.portcullis.bpf.maps.Ipv4PrefixKey;
import io.portcullis.bpf.maps.MapNames;
import io.portcullis.bpf.maps.PolicyKey;
import io.portcullis.bpf.maps.PolicyValue;
import io.portcullis.bpf.maps.SockKey;
import io.portcullis.bpf.maps.SteerCounter;
import io.portcullis.bpf.maps.SteeringConfig;
import io.portcullis.bpf.maps.StructCodec;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.IpCache;
import io.portcullis.policy.resolve.PolicyEvaluator;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The loaded, attached and pinned steering programs and the maps they read. See the package
 * documentation for the contract. {@link #reconcile} is not thread-safe (the agent calls it from
 * one publishing thread); {@link #counters} is safe from any thread. The proxy reads the
 * original destinations through {@link OriginalDestinations}.
 */
public final class SocketSteering implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SocketSteering.class.getName());

    private final SteeringOptions options;
    /** Each object the steering programs come from, loaded once. */
    private final Map<DatapathObject, BpfObject> objects;
    private final BpfMap<PolicyKey, PolicyValue> policy;
    private final BpfMap<Ipv4PrefixKey, IpcacheValue> ipcache;
    private final BpfMap<Long, EndpointValue> endpoints;
    private final BpfMap<Integer, Long> counters;

    private SocketSteering(SteeringOptions options, Map<DatapathObject, BpfObject> objects) {
        this.options = options;
        this.objects = objects;
        BpfObject sock = objects.get(DatapathObject.SOCK);
        this.policy = sock.map(MapNames.POLICY, PolicyKey.CODEC, PolicyValue.CODEC);
        this.ipcache = sock.map(MapNames.IPCACHE, Ipv4PrefixKey.CODEC, IpcacheValue.CODEC);
        this.endpoints = sock.map(MapNames.ENDPOINTS, StructCodec.U64, EndpointValue.CODEC);
        this.counters = sock.map(MapNames.STEER_COUNTERS, StructCodec.U32, StructCodec.U64);
    }

    /**
     * Loads each object the programs come from once (re-adopting the maps pinned under pinRoot),
     * writes the settings, and attaches each program in place of the one an earlier agent pinned.
     */
    public static SocketSteering install(SteeringOptions options, Path pinRoot, SteeringCgroups cgroups)
            throws IOException {
        BpfFs.ensureMounted();
        Files.createDirectories(pinRoot.resolve(SteeringProgram.PROGRAM_DIR));
        Files.createDirectories(cgroups.endpoints());
        Map<DatapathObject, BpfObject> objects = new EnumMap<>(DatapathObject.class);
        try {
            for (SteeringProgram program : SteeringProgram.values()) {
                if (!objects.containsKey(program.object)) {
                    objects.put(program.object, program.object.open(pinRoot).load());
                }
            }
            SocketSteering steering = new SocketSteering(options, objects);
            try (BpfMap<Integer, SteeringConfig> config = objects.get(DatapathObject.SOCK).map(MapNames.STEERING,
                    StructCodec.U32, SteeringConfig.CODEC)) {
                config.put(0, new SteeringConfig(options.proxyAddress(), options.denyAtConnect(),
                        options.socketRedirect()));
            }
            for (SteeringProgram program : SteeringProgram.values()) {
                steering.attachReplacing(program, objects.get(program.object).program(program.programName), pinRoot,
                        cgroups);
            }
            return steering;
        } catch (IOException | RuntimeException e) {
            objects.values().forEach(BpfObject::close);
            throw e;
        }
    }

    private void attachReplacing(SteeringProgram program, BpfProgram loaded, Path pinRoot, SteeringCgroups cgroups)
            throws IOException {
        Path cgroup = program.cgroup(cgroups);
        if (cgroup == null) {
            try (BpfMap<SockKey, Long> sockhash = objects.get(program.object).map(MapNames.SOCKHASH, SockKey.CODEC,
                    StructCodec.U64)) {
                loaded.attachSkMsg(sockhash); // replaces the previous sk_msg program of the map
            }
        } else {
            loaded.attachCgroup(cgroup, program.attachType);
        }
        Path pin = program.pin(pinRoot);
        if (Files.exists(pin)) {
            try (PinnedProgram old = PinnedProgram.open(pin)) {
                program.detachEarlier(old, cgroups);
            }
            Files.delete(pin);
        }
        loaded.pin(pin);
    }

    public SteeringOptions options() {
        return options;
    }

    /**
     * Writes the maps for a new state: identities of the given endpoints against every identity,
     * the ipcache (endpoints flagged local, and audit for those in audit mode), and the cgroup of
     * each endpoint.
     *
     * @param judged the evaluator the proxy judges connections with, so the kernel agrees with it
     */
    public void reconcile(PolicyEvaluator judged, IpCache cache, List<Identity> identities,
                          List<LocalEndpoint> locals) {
        Set<Identity> localIdentities = new HashSet<>();
        Set<String> localNames = new HashSet<>();
        Map<Long, EndpointValue> cgroups = new LinkedHashMap<>();
        for (LocalEndpoint endpoint : locals) {
            localIdentities.add(endpoint.identity());
            localNames.add(endpoint.name());
            cgroupId(endpoint.cgroup()).ifPresent(id -> cgroups.put(id,
                    new EndpointValue(endpoint.identity().id(), endpoint.ip())));
        }
        Map<Ipv4PrefixKey, IpcacheValue> prefixes = new LinkedHashMap<>();
        for (IpCache.Entry entry : cache.entries()) {
            Ipv4PrefixKey key = new Ipv4PrefixKey(entry.prefix().prefixLength(), address(entry.prefix().address()));
            boolean local = entry.endpoint() != null && localNames.contains(entry.endpoint());
            prefixes.put(key, local ? IpcacheValue.localEndpoint(entry.identity().id(),
                    judged.context().auditModes().of(entry.endpoint()).audited())
                    : IpcacheValue.remote(entry.identity().id()));
        }
        // Policy first and cgroups last on the way in, the reverse on the way out: a connect never
        // finds an endpoint whose policy entries are not there yet.
        MapSync<PolicyKey, PolicyValue> policySync = new MapSync<>(policy,
                PolicyEntries.desired(judged, localIdentities, identities, options,
                        cache.lookup(options.proxyAddress().getHostAddress()).identity()));
        MapSync<Ipv4PrefixKey, IpcacheValue> ipcacheSync = new MapSync<>(ipcache, prefixes);
        MapSync<Long, EndpointValue> endpointSync = new MapSync<>(endpoints, cgroups);
        int written = policySync.upsert() + ipcacheSync.upsert() + endpointSync.upsert();
        int removed = endpointSync.prune() + ipcacheSync.prune() + policySync.prune();
        LOG.log(System.Logger.Level.DEBUG, "steering maps reconciled: " + written + " written, " + removed + " removed");
    }

    /** The steering counters, summed over CPUs. */
    public Map<SteerCounter, Long> counters() {
        Map<SteerCounter, Long> sums = new EnumMap<>(SteerCounter.class);
        for (SteerCounter counter : SteerCounter.values()) {
            long sum = 0;
            for (Long perCpu : counters.lookupPerCpu(counter.code()).orElse(List.of())) {
                sum += perCpu;
            }
            sums.put(counter, sum);
        }
        return sums;
    }

    /** Frees this process's handles; programs stay attached and maps pinned (see the package doc). */
    @Override
    public void close() {
        objects.values().forEach(BpfObject::close);
    }

    /** The cgroup v2 id of a cgroup directory: its inode number; empty when the directory is gone. */
    static Optional<Long> cgroupId(Path cgroup) {
        try {
            return Optional.of(((Number) Files.getAttribute(cgroup, "unix:ino")).longValue());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "endpoint cgroup " + cgroup + " is gone (" + e.getMessage()
                    + "); its workloads are not steered");
            return Optional.empty();
        }
    }

    private static Inet4Address address(int bits) {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {
                    (byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
