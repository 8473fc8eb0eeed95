package io.portcullis.agent.sidecar;

import io.portcullis.agent.datapath.DatapathComponent;
import io.portcullis.agent.datapath.NodeView;
import io.portcullis.bpf.NetNs;
import io.portcullis.bpf.lb.LbService;
import io.portcullis.bpf.lb.LoadBalancer;
import io.portcullis.config.ServiceConfig;
import io.portcullis.policy.resolve.ServiceEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Services in the kernel ({@code datapath: bpf}): bpf_lb's service maps, which bpf_sock reads at
 * connect time (east-west), kept equal to the {@link ServiceRegistry}'s effective services; and,
 * with {@code uplink:}, bpf_lb on the uplink for north-south traffic to the VIPs. Every view
 * re-syncs, so a backend leaves the maps in the same apply that removes its endpoint.
 */
public final class ServiceDatapath implements DatapathComponent {
    private static final System.Logger LOG = System.getLogger(ServiceDatapath.class.getName());

    private final LoadBalancer loadBalancer;
    private final ServiceRegistry registry;
    private final ConntrackSweeper sweeper;
    /** Set by {@link #close}: the agent closes the datapath before the watchers that feed it views. */
    private volatile boolean closed;

    public ServiceDatapath(Path pinRoot, Path stateDir, String endpointPool, List<ServiceConfig> configured,
                           String uplink) throws IOException {
        this.loadBalancer = LoadBalancer.load(pinRoot);
        try {
            this.registry = new ServiceRegistry(configured, new ServiceStore(stateDir), new BackendFilter(endpointPool),
                    this::sync);
            if (uplink != null) {
                loadBalancer.attach(NetNs.interfaceIndex(uplink));
                LOG.log(System.Logger.Level.INFO, "bpf_lb attached to " + uplink + " for north-south service traffic");
            }
            this.sweeper = new ConntrackSweeper("service conntrack", this::sweepExpired);
        } catch (IOException | RuntimeException e) {
            loadBalancer.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return "services";
    }

    /** Not synchronized on this: the registry calls back into {@link #sync} under its own lock. */
    @Override
    public void apply(NodeView view) {
        if (closed) {
            LOG.log(System.Logger.Level.DEBUG, "a view of the endpoints after close is skipped: the agent is stopping");
            return;
        }
        registry.endpointsChanged(view.endpoints());
    }

    ServiceRegistry registry() {
        return registry;
    }

    /** Every service as policies' {@code toServices} see it, config and API alike. */
    public List<ServiceEntry> policyEntries() {
        return registry.policyEntries();
    }

    /** How many services there are, config and API alike. */
    public int count() {
        return registry.list().size();
    }

    /** What the kernel's maps hold, with their ids. */
    synchronized List<LoadBalancer.Entry> entries() {
        return loadBalancer.entries();
    }

    /** After {@link #close}, a change (an API call, a view racing the close) is refused and nothing changes. */
    private synchronized void sync(List<LbService> services) {
        if (closed) {
            throw KernelSyncException.stopping();
        }
        loadBalancer.sync(services);
    }

    private synchronized int sweepExpired(long nowNs) {
        return closed ? 0 : loadBalancer.sweepExpired(nowNs);
    }

    /**
     * For {@code uninstall}: removes bpf_lb from {@code uplink} when it is there (an uplink that is
     * gone took the filters along). Returns what it did.
     */
    public static List<String> detach(String uplink) {
        int ifindex;
        try {
            ifindex = NetNs.interfaceIndex(uplink);
        } catch (IllegalArgumentException gone) {
            return List.of();
        }
        return LoadBalancer.detach(ifindex);
    }

    /**
     * For {@code uninstall}: removes the services created through the API from the state directory,
     * so that endpoints made after a reinstall, given the same pool addresses, inherit none of
     * their backends. Returns what it did.
     */
    public static List<String> removeState(Path stateDir) throws IOException {
        Path file = new ServiceStore(stateDir).file();
        return Files.deleteIfExists(file) ? List.of("removed the services created through the API (" + file + ")")
                : List.of();
    }

    /** Maps and the uplink programs stay: services keep working while the agent is away. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        sweeper.close();
        loadBalancer.close();
    }
}
