package io.portcullis.agent;

import io.portcullis.agent.api.ApiServer;
import io.portcullis.agent.datapath.DatapathComponent;
import io.portcullis.agent.datapath.NodeView;
import io.portcullis.agent.dns.FqdnCache;
import io.portcullis.agent.endpoint.Endpoint;
import io.portcullis.agent.endpoint.EndpointManager;
import io.portcullis.agent.endpoint.EndpointStore;
import io.portcullis.agent.metrics.AgentMetrics;
import io.portcullis.agent.metrics.DatapathReadings;
import io.portcullis.agent.metrics.NodeCounts;
import io.portcullis.agent.observe.FlowHistory;
import io.portcullis.agent.proxy.AccessLogStream;
import io.portcullis.agent.proxy.ProxyFeed;
import io.portcullis.agent.proxy.ProxySupervisor;
import io.portcullis.agent.sidecar.DatapathReader;
import io.portcullis.agent.sidecar.ServiceDatapath;
import io.portcullis.agent.sidecar.UplinkPrefilter;
import io.portcullis.config.AgentConfig;
import io.portcullis.config.Datapath;
import io.portcullis.config.EndpointConfig;
import io.portcullis.config.EndpointPool;
import io.portcullis.policy.identity.EndpointAddresses;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.IdentityAllocator;
import io.portcullis.policy.identity.Labels;
import io.portcullis.policy.model.Policy;
import io.portcullis.policy.resolve.ServiceEntry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node agent: it allocates identities for the configured and created endpoints, keeps the
 * policy directory compiled and current, writes it into the kernel datapath and sends it to the
 * proxy process over the feed, supervises that process, and serves the local API.
 */
public final class Agent implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Agent.class.getName());
    /** How long a new proxy process may take to judge by the current policy (a JVM start, a snapshot). */
    private static final Duration PROXY_READY = Duration.ofSeconds(60);
    /** How long an API call that changed the state waits for the proxy to confirm it. */
    private static final Duration PROXY_APPLY = Duration.ofSeconds(5);

    private final AgentConfig config;
    private final List<NodeEndpoint> configuredEndpoints;
    private final NodeState node;
    private final IdentityStore identityStore;
    /** The node's saved endpoints, opened here once and handed to the endpoint manager. */
    private final EndpointStore endpointStore;
    /** Whether the saved state recorded endpoints at start: their identities and endpoints are restored. */
    private final boolean endpointsRecorded;
    private final IdentityAllocator identities;
    private final FqdnCache fqdnCache;
    private final List<DatapathComponent> datapath;
    private int savedIdentities;
    private final AccessLogStream accessLog = new AccessLogStream();
    /** L7 records and the kernel's flows, merged, with their recent history: {@code portcullis observe}. */
    private final FlowHistory flows = FlowHistory.following(accessLog);
    private final AtomicLong generations = new AtomicLong();
    private EndpointManager endpointManager;
    private ProxyFeed feed;
    private ProxySupervisor supervisor;
    private PolicyWatcher watcher;
    private ApiServer api;
    private AgentMetrics metrics;
    private DnsService dns;

    private Agent(AgentConfig config) throws IOException {
        this.config = config;
        this.configuredEndpoints = endpointAddresses(config.endpoints());
        this.identityStore = new IdentityStore(config.stateDir());
        this.endpointStore = EndpointStore.open(config.stateDir());
        this.endpointsRecorded = endpointStore.hasEndpoints();
        IdentityAllocator identities = new IdentityAllocator();
        if (endpointsRecorded) {
            for (Identity identity : identityStore.load()) {
                identities.restore(identity);
            }
        }
        this.identities = identities;
        this.fqdnCache = FqdnCache.load(config.dnsProxy(), config.stateDir().resolve("fqdn.json"));
        this.node = new NodeState(config.policyDir(), this::allEndpoints, this::services, identities,
                config.policyAuditMode(), fqdnCache::labels, this::published);
        this.datapath = Datapaths.forConfig(config, flows);
    }

    /**
     * Runs for every new state: the kernel datapath gets it first, then the proxy, so that no
     * connection is judged by a policy the kernel does not know yet.
     */
    private void published(PolicyState state) {
        List<Identity> all = identities.identities();
        if (all.size() != savedIdentities) {
            saveIdentities(all);
        }
        NodeView view = new NodeView(state.snapshot(), state.ipCache(), all, managedEndpoints());
        for (DatapathComponent component : datapath) {
            try {
                component.apply(view);
            } catch (Exception e) {
                LOG.log(System.Logger.Level.ERROR, "datapath " + component.name() + " could not apply policy revision "
                        + state.snapshot().revision() + ": " + e.getMessage(), e);
            }
        }
        if (feed != null) {
            feed.publish(FeedSnapshots.of(generations.incrementAndGet(), state, all));
        }
    }

    /**
     * Identities are kept across restarts once the agent manages endpoints: their numbers must not
     * change under running workloads. Configured endpoints alone get the same numbers anyway.
     */
    private void saveIdentities(List<Identity> all) {
        if (!managesEndpoints()) {
            return;
        }
        try {
            identityStore.save(all);
            savedIdentities = all.size();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "cannot save identities in " + config.stateDir() + " ("
                    + e.getMessage() + "); after a restart, numbers may change");
        }
    }

    private synchronized List<Endpoint> managedEndpoints() {
        return endpointManager == null ? List.of() : endpointManager.list();
    }

    private synchronized boolean managesEndpoints() {
        return endpointManager != null;
    }

    /**
     * Loads the policies, starts the feed, the proxy (or adopts the one running), the policy
     * watcher and the API; fails without leaving anything running but an adopted proxy.
     */
    public static Agent start(AgentConfig config) throws IOException {
        if (!Files.isDirectory(config.policyDir())) {
            throw new IllegalArgumentException("policyDir " + config.policyDir() + " is not a directory");
        }
        Agent agent = new Agent(config);
        try {
            agent.metrics = AgentMetrics.start(config.metrics(), agent::nodeCounts, agent.datapath.isEmpty()
                    ? () -> DatapathReadings.NONE : new DatapathReader(agent.datapathComponent(UplinkPrefilter.class),
                    agent.datapathComponent(ServiceDatapath.class)));
            // datapath: bpf needs the pool's host address (the proxy's) plumbed before the proxy binds it.
            if (agent.endpointsRecorded || config.datapath() == Datapath.BPF) {
                agent.endpointManager = EndpointManager.start(agent.endpointStore, config.endpointPool());
            }
            agent.feed = ProxyFeed.start(config.proxy().feedSocket(), agent.accessLog);
            agent.reloadAndMeasure();
            agent.watcher = new PolicyWatcher(config.policyDir(), agent::reloadAndMeasure);
            if (config.datapath() == Datapath.BPF) {
                agent.dns = new DnsService(agent.fqdnCache, agent.node, agent.identities, agent::learned);
                agent.dns.start(config.dnsProxy(), EndpointPool.hostAddress(config.endpointPool()),
                        new DnsAccessLog(config.accessLog(), agent.accessLog));
            }
            if (config.proxy().supervise()) {
                agent.supervisor = ProxySupervisor.start(config, agent.feed, PROXY_READY);
            }
            agent.api = ApiServer.start(config.apiSocket(), AgentApi.routes(agent), agent.flows);
            return agent;
        } catch (IOException | RuntimeException e) {
            agent.close();
            throw e;
        }
    }

    /** Re-reads the policy directory; returns once the proxy judges by the result (or a few seconds passed). */
    void reloadPolicies() throws InterruptedException {
        reloadAndMeasure();
        awaitProxy();
    }

    /** Re-reads the policy directory; a new revision's time to the datapath and the feed is a metric. */
    private void reloadAndMeasure() {
        long start = System.nanoTime();
        PolicyState before = node.current();
        node.reloadPolicies();
        if (before == null || before.snapshot().revision() != node.current().snapshot().revision()) {
            metrics.policyImplemented(System.nanoTime() - start);
        }
    }

    /** What the metrics report of the node, from one policy state. */
    private NodeCounts nodeCounts() {
        PolicyState state = node.current();
        return state == null ? new NodeCounts(0, 0, identities().size(), allEndpoints().size())
                : new NodeCounts(state.snapshot().revision(), state.snapshot().policies().size(), identities().size(),
                allEndpoints().size());
    }

    /**
     * Waits until the supervised proxy confirmed the latest state, so that an API call that changed
     * policy or endpoints answers when the change is in force. A proxy that does not confirm in time
     * (or none supervised) is logged, not waited for longer: the change reaches it when it can.
     */
    void awaitProxy() throws InterruptedException {
        if (!awaitProxyApplied(PROXY_APPLY)) {
            LOG.log(System.Logger.Level.WARNING, "the proxy (pid " + supervisor.pid().orElseThrow()
                    + ") has not confirmed snapshot " + feed.latestGeneration() + " within " + PROXY_APPLY.toMillis()
                    + " ms; it applies it when it can");
        }
    }

    /**
     * Whether the supervised proxy confirmed the latest state within {@code timeout} (true when no
     * proxy is supervised). A policy file change is published before {@link #policyRevision()}
     * moves, so after the revision moved this tells when the proxy judges by it.
     */
    public boolean awaitProxyApplied(Duration timeout) throws InterruptedException {
        Optional<Long> pid = supervisor == null ? Optional.empty() : supervisor.pid();
        return pid.isEmpty() || feed.awaitApplied(pid.get(), timeout);
    }

    /** The endpoint manager, started on first use so that an agent without endpoints changes nothing on the host. */
    synchronized EndpointManager endpoints() throws IOException {
        if (endpointManager == null) {
            endpointManager = EndpointManager.start(endpointStore, config.endpointPool());
        }
        return endpointManager;
    }

    /** After endpoints or services came, went or changed: policies are judged with the node as it is now. */
    void nodeChanged() throws InterruptedException {
        node.nodeChanged();
        awaitProxy();
    }

    /** After the DNS proxy learned addresses: in force in the datapath and the proxy before the answer goes out. */
    private void learned() {
        try {
            nodeChanged();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The DNS proxy's side of the agent; empty without {@code datapath: bpf}. */
    Optional<DnsService> dns() {
        return Optional.ofNullable(dns);
    }

    private synchronized List<NodeEndpoint> allEndpoints() {
        List<NodeEndpoint> all = new ArrayList<>(configuredEndpoints);
        if (endpointManager != null) {
            for (Endpoint endpoint : endpointManager.list()) {
                all.add(new NodeEndpoint(new EndpointAddresses(endpoint.name(), endpoint.identityLabels(),
                        List.of(endpoint.ip())), endpoint.ports(), endpoint.audit()));
            }
        }
        return all;
    }

    private List<ServiceEntry> services() {
        return datapathComponent(ServiceDatapath.class).map(ServiceDatapath::policyEntries).orElse(List.of());
    }

    /** What the supervised proxy accepts on, in the order of the configuration (bound ports included). */
    public List<InetSocketAddress> listenAddresses() {
        List<InetSocketAddress> addresses = new ArrayList<>();
        Optional<Long> pid = supervisor == null ? Optional.empty() : supervisor.pid();
        feed.proxies().stream().filter(proxy -> pid.isPresent() && proxy.pid() == pid.get()).findFirst()
                .ifPresent(proxy -> proxy.listeners().forEach(text -> {
                    int colon = text.lastIndexOf(':');
                    addresses.add(new InetSocketAddress(text.substring(0, colon),
                            Integer.parseInt(text.substring(colon + 1))));
                }));
        return addresses;
    }

    /** Hands the listeners to a new proxy process, which then judges alone while the old one drains. */
    public void upgradeProxy() throws IOException {
        if (supervisor == null) {
            throw new IllegalStateException("the proxy is not supervised by this agent (proxy.supervise: false)");
        }
        supervisor.upgrade(PROXY_READY);
    }

    /** The supervised proxy's pid and history, for {@code status}. */
    Map<String, Object> proxyStatus() {
        return supervisor == null ? Map.of("supervised", false) : supervisor.status();
    }

    public long policyRevision() {
        return node.current().snapshot().revision();
    }

    /** The current policy errors, each naming its file, line and field. */
    public List<String> policyErrors() {
        return NodeState.messages(node.current().errors());
    }

    public int policyCount() {
        return policies().size();
    }

    List<Policy> policies() {
        return node.current().snapshot().policies();
    }

    List<Identity> identities() {
        return node.identities();
    }

    /** The identity the current ipcache gives {@code ip}. */
    Identity identityOf(String ip) {
        return node.current().ipCache().lookup(ip).identity();
    }

    /** The running datapath component of this type, when the configuration has one. */
    <T extends DatapathComponent> Optional<T> datapathComponent(Class<T> type) {
        return datapath.stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    AgentConfig config() {
        return config;
    }

    /** Every access-log record the proxy writes (one JSON object each), for the API stream and tests. */
    public AccessLogStream accessLog() {
        return accessLog;
    }

    /** Stops the agent and the proxy it supervises (which closes its connections). */
    @Override
    public void close() {
        if (supervisor != null) {
            supervisor.stopProxy();
        }
        shutDown();
    }

    /**
     * Stops the agent and leaves the proxy running: it keeps enforcing the last policy it was sent,
     * and the next agent adopts it. This is what a restart of the agent wants.
     */
    public void closeLeavingProxy() {
        if (supervisor != null) {
            supervisor.pid().ifPresent(pid -> LOG.log(System.Logger.Level.INFO, "the proxy (pid " + pid + ") keeps "
                    + "enforcing policy revision " + policyRevision() + " while the agent is stopped; the next agent "
                    + "adopts it ('portcullis proxy stop' ends it)"));
            supervisor.close();
        }
        shutDown();
    }

    private void shutDown() {
        if (api != null) {
            api.close();
        }
        if (dns != null) {
            dns.close();
        }
        if (metrics != null) {
            metrics.close();
        }
        for (DatapathComponent component : datapath) {
            component.close();
        }
        if (feed != null) {
            feed.close();
        }
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "closing the policy watcher: " + e.getMessage());
            }
        }
    }

    /** @throws IllegalArgumentException when a configured endpoint's labels cannot be an endpoint's */
    private static List<NodeEndpoint> endpointAddresses(List<EndpointConfig> configured) {
        List<NodeEndpoint> endpoints = new ArrayList<>();
        for (EndpointConfig endpoint : configured) {
            List<String> ips = new ArrayList<>();
            for (InetAddress ip : endpoint.ips()) {
                ips.add(ip.getHostAddress());
            }
            Labels labels;
            try {
                labels = Labels.ofEndpoint(endpoint.namespace(), endpoint.labels());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("endpoint '" + endpoint.name() + "' in the config: " + e.getMessage(),
                        e);
            }
            endpoints.add(new NodeEndpoint(new EndpointAddresses(endpoint.name(), labels, ips), List.of()));
        }
        return endpoints;
    }
}
