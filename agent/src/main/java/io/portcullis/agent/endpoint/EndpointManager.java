package io.portcullis.agent.endpoint;

import io.portcullis.bpf.Cgroup2;
import io.portcullis.policy.identity.Labels;
import io.portcullis.policy.model.NamedPort;
import java.io.IOException;
import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Creates and deletes endpoints the way a CNI plugin would, and re-adopts them after a restart.
 *
 * <p>Routing: the pool prefix is blackholed on the host so that no invented address ever leaves
 * the machine; each endpoint has a /32 route to its veth, which wins over the blackhole. Inside the
 * namespace only the pool prefix is routed (on-link, answered by proxy ARP on the host side), so
 * an endpoint can reach other endpoints and the host's pool address and nothing beyond.
 */
public final class EndpointManager {
    private static final System.Logger LOG = System.getLogger(EndpointManager.class.getName());
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?");

    private final String pool;
    private final IpPool addresses;
    private final EndpointStore store;
    private final Path cgroupRoot;
    private final Map<String, Endpoint> endpoints = new TreeMap<>();

    private EndpointManager(String pool, EndpointStore store, Path cgroupRoot) {
        this.pool = pool;
        this.addresses = new IpPool(pool);
        this.store = store;
        this.cgroupRoot = cgroupRoot;
    }

    /** Prepares the host side of the pool and re-adopts the endpoints recorded in {@code store}. */
    public static EndpointManager start(EndpointStore store, String pool) throws IOException {
        store.prepare();
        EndpointManager manager = new EndpointManager(pool, store,
                Files.createDirectories(Cgroup2.mountPoint().resolve("portcullis").resolve("endpoints")));
        manager.plumbHost();
        for (Endpoint endpoint : manager.store.load()) {
            manager.adopt(endpoint);
        }
        return manager;
    }

    public synchronized List<Endpoint> list() {
        return new ArrayList<>(endpoints.values());
    }

    public synchronized Optional<Endpoint> get(String name) {
        return Optional.ofNullable(endpoints.get(name));
    }

    /** The host's address in the pool: what endpoints reach the node (and its proxy) by. */
    public Inet4Address hostAddress() {
        return addresses.hostAddress();
    }

    /**
     * @throws IllegalArgumentException for a bad name, namespace, label or port, or a name in use
     */
    public synchronized Endpoint create(String name, String namespace, Map<String, String> labels,
                                        List<NamedPort> ports) throws IOException {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("endpoint name '" + name
                    + "' must be 1-32 lowercase letters, digits or '-', starting and ending with a letter or digit");
        }
        if (endpoints.containsKey(name)) {
            throw new IllegalArgumentException("endpoint '" + name + "' already exists");
        }
        Labels.ofEndpoint(namespace, labels);
        Inet4Address ip = addresses.allocate();
        Endpoint endpoint = new Endpoint(name, namespace, labels, ports, ip.getHostAddress(), "pc-" + name,
                hostInterface(name), cgroupRoot.resolve(name).toString());
        try {
            plumb(endpoint);
            store.save(endpoint);
        } catch (IOException | RuntimeException e) {
            unplumb(endpoint);
            addresses.release(ip);
            throw e;
        }
        endpoints.put(name, endpoint);
        LOG.log(System.Logger.Level.INFO, "endpoint " + name + " created in namespace " + namespace + ": "
                + endpoint.ip() + " in netns " + endpoint.netns());
        return endpoint;
    }

    public synchronized Endpoint delete(String name) throws IOException {
        Endpoint endpoint = endpoints.get(name);
        if (endpoint == null) {
            throw new IllegalArgumentException("no endpoint named '" + name + "'");
        }
        unplumb(endpoint);
        store.remove(name);
        endpoints.remove(name);
        addresses.release(IpPool.parse(endpoint.ip()));
        LOG.log(System.Logger.Level.INFO, "endpoint " + name + " deleted");
        return endpoint;
    }

    /**
     * Switches the endpoint's audit mode and records it; returns the endpoint as it now is.
     *
     * @throws IllegalArgumentException when no endpoint has that name
     */
    public synchronized Endpoint setAudit(String name, boolean on) throws IOException {
        Endpoint endpoint = endpoints.get(name);
        if (endpoint == null) {
            throw new IllegalArgumentException("no endpoint named '" + name + "'");
        }
        Endpoint switched = endpoint.withAudit(on);
        store.save(switched);
        endpoints.put(name, switched);
        LOG.log(System.Logger.Level.INFO, "endpoint " + name + ": policy audit mode " + (on ? "on" : "off"));
        return switched;
    }

    private void adopt(Endpoint endpoint) throws IOException {
        addresses.claim(IpPool.parse(endpoint.ip()));
        boolean present = Files.exists(Path.of("/run/netns", endpoint.netns()))
                && Files.exists(Path.of("/sys/class/net", endpoint.hostInterface()));
        if (!present) {
            LOG.log(System.Logger.Level.WARNING, "endpoint " + endpoint.name() + " lost its network namespace "
                    + "(host restarted?); plumbing it again with " + endpoint.ip());
            unplumb(endpoint);
            plumb(endpoint);
        } else {
            routeToEndpoint(endpoint);
        }
        Files.createDirectories(Path.of(endpoint.cgroup()));
        endpoints.put(endpoint.name(), endpoint);
    }

    /**
     * The host's pool address lives on {@code lo} (a dummy device would need a kernel module that
     * is not always there); host veths answer ARP for it because it is local.
     */
    private void plumbHost() throws IOException {
        HostCommands.ip("addr", "replace", hostAddress().getHostAddress() + "/32", "dev", "lo");
        HostCommands.ip("route", "replace", "blackhole", pool);
    }

    private void plumb(Endpoint e) throws IOException {
        String peer = e.hostInterface() + "p";
        HostCommands.ip("netns", "add", e.netns());
        HostCommands.ip("link", "add", e.hostInterface(), "type", "veth", "peer", "name", peer, "netns", e.netns());
        HostCommands.ip("-n", e.netns(), "link", "set", peer, "name", "eth0");
        HostCommands.ip("-n", e.netns(), "addr", "add", e.ip() + "/32", "dev", "eth0");
        HostCommands.ip("-n", e.netns(), "link", "set", "lo", "up");
        HostCommands.ip("-n", e.netns(), "link", "set", "eth0", "up");
        HostCommands.ip("-n", e.netns(), "route", "add", pool, "dev", "eth0", "scope", "link", "src", e.ip());
        HostCommands.sysctl("net.ipv4.conf." + e.hostInterface() + ".proxy_arp", "1");
        HostCommands.sysctl("net.ipv4.conf." + e.hostInterface() + ".forwarding", "1");
        HostCommands.ip("link", "set", e.hostInterface(), "up");
        routeToEndpoint(e);
        Files.createDirectories(Path.of(e.cgroup()));
    }

    /**
     * The host reaches an endpoint from the pool's host address, the only one endpoints route
     * back to: the proxy's upstream connections and the host's own traffic need it as source.
     */
    private void routeToEndpoint(Endpoint e) throws IOException {
        HostCommands.ip("route", "replace", e.ip() + "/32", "dev", e.hostInterface(), "src",
                hostAddress().getHostAddress());
    }

    /** Removes whatever exists of an endpoint's plumbing; safe to call on a half-made endpoint. */
    private void unplumb(Endpoint e) {
        removeCgroup(Path.of(e.cgroup()));
        HostCommands.ipQuietly("route", "del", e.ip() + "/32", "dev", e.hostInterface());
        HostCommands.ipQuietly("link", "del", e.hostInterface());
        HostCommands.ipQuietly("netns", "del", e.netns());
    }

    /** Kills what still runs in the cgroup, then removes it once the kernel has let go of the processes. */
    static void removeCgroup(Path cgroup) {
        try {
            if (Files.exists(cgroup.resolve("cgroup.kill"))) {
                Files.writeString(cgroup.resolve("cgroup.kill"), "1");
            }
            for (int attempt = 0; ; attempt++) {
                try {
                    Files.deleteIfExists(cgroup);
                    return;
                } catch (IOException busy) {
                    if (attempt == 50) {
                        throw busy;
                    }
                    Thread.sleep(20);
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot remove cgroup " + cgroup + ": " + e.getMessage()
                    + "; remove it by hand once its processes have exited");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Interface names are at most 15 bytes: {@code pc} and a hash of the endpoint name. */
    static String hostInterface(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return "pc" + HexFormat.of().formatHex(digest, 0, 5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
