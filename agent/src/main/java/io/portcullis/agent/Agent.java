package io.portcullis.agent;

import io.portcullis.agent.api.ApiServer;
import io.portcullis.agent.datapath.DatapathComponent;
import io.portcullis.agent.datapath.NodeView;
import io.portcullis.agent.datapath.TransparentProxy;
import io.portcullis.agent.endpoint.Endpoint;
import io.portcullis.agent.endpoint.EndpointManager;
import io.portcullis.agent.endpoint.EndpointStore;
import io.portcullis.config.AgentConfig;
import io.portcullis.config.Datapath;
import io.portcullis.config.EndpointConfig;
import io.portcullis.config.Http2Config;
import io.portcullis.config.HttpConfig;
import io.portcullis.config.ListenerConfig;
import io.portcullis.policy.identity.EndpointAddresses;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.IdentityAllocator;
import io.portcullis.policy.identity.Labels;
import io.portcullis.policy.model.Policy;
import io.portcullis.proxy.accesslog.AccessLog;
import io.portcullis.proxy.accesslog.AccessLogSubscribers;
import io.portcullis.proxy.accesslog.StreamAccessLog;
import io.portcullis.proxy.context.StaticUpstreamResolver;
import io.portcullis.proxy.http2.Http2Limits;
import io.portcullis.proxy.server.HttpLimits;
import io.portcullis.proxy.server.ProxyServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The node agent: it allocates identities for the configured and created endpoints, keeps the
 * policy directory compiled and current, runs the proxy that enforces it and serves the local API.
 */
public final class Agent implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Agent.class.getName());

    private final AgentConfig config;
    private final List<EndpointAddresses> configuredEndpoints;
    private final NodeState node;
    private final IdentityStore identityStore;
    private final IdentityAllocator identities;
    private final List<DatapathComponent> datapath;
    private int savedIdentities;
    private final AccessLogSubscribers subscribers = new AccessLogSubscribers();
    private final AccessLog accessLog;
    private EndpointManager endpointManager;
    private ProxyServer proxy;
    private PolicyWatcher watcher;
    private ApiServer api;

    private Agent(AgentConfig config) throws IOException {
        this.config = config;
        this.configuredEndpoints = endpointAddresses(config.endpoints());
        this.identityStore = new IdentityStore(config.stateDir());
        IdentityAllocator identities = new IdentityAllocator();
        if (EndpointStore.hasEndpoints(config.stateDir())) {
            for (Identity identity : identityStore.load()) {
                identities.restore(identity);
            }
        }
        this.identities = identities;
        this.node = new NodeState(config.policyDir(), this::allEndpoints, identities, this::published);
        this.accessLog = accessLog(config.accessLog(), subscribers);
        try {
            this.datapath = Datapaths.forConfig(config);
        } catch (IOException | RuntimeException e) {
            accessLog.close();
            throw e;
        }
    }

    /**
     * Runs before a new state becomes visible to the proxy: the kernel datapath gets it first, so
     * that no connection is judged by a policy the kernel does not know yet.
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

    /** Loads the policies, starts the proxy, the policy watcher and the API; fails without leaving anything running. */
    public static Agent start(AgentConfig config) throws IOException {
        if (!Files.isDirectory(config.policyDir())) {
            throw new IllegalArgumentException("policyDir " + config.policyDir() + " is not a directory");
        }
        Agent agent = new Agent(config);
        try {
            // datapath: bpf needs the pool's host address (the proxy's) plumbed before the proxy binds it.
            if (EndpointStore.hasEndpoints(config.stateDir()) || config.datapath() == Datapath.BPF) {
                agent.endpointManager = EndpointManager.start(config.stateDir(), config.endpointPool());
            }
            agent.node.reloadPolicies();
            agent.watcher = new PolicyWatcher(config.policyDir(), agent.node::reloadPolicies);
            agent.proxy = agent.proxy();
            agent.proxy.start();
            agent.api = ApiServer.start(config.apiSocket(), AgentApi.routes(agent), agent.subscribers);
            return agent;
        } catch (IOException | RuntimeException e) {
            agent.close();
            throw e;
        }
    }

    private ProxyServer proxy() {
        IpCachePeerLookup peers = new IpCachePeerLookup(() -> node.current().ipCache());
        ProxyServer.Builder builder = ProxyServer.builder()
                .limits(limits(config.http(), config.http2()))
                .policy(() -> node.current().snapshot())
                .accessLog(accessLog);
        if (config.workerThreads() > 0) {
            builder.eventLoopThreads(config.workerThreads());
        }
        for (ListenerConfig listener : config.listeners()) {
            builder.listener(listener.bind(), new StaticUpstreamResolver(listener.upstream(), peers));
        }
        for (DatapathComponent component : datapath) {
            if (component instanceof TransparentProxy transparent) {
                builder.listener(transparent.listenAddress(), transparent.resolver(peers));
            }
        }
        return builder.build();
    }

    void reloadPolicies() {
        node.reloadPolicies();
    }

    /** The endpoint manager, started on first use so that an agent without endpoints changes nothing on the host. */
    synchronized EndpointManager endpoints() throws IOException {
        if (endpointManager == null) {
            endpointManager = EndpointManager.start(config.stateDir(), config.endpointPool());
        }
        return endpointManager;
    }

    void endpointsChanged() {
        node.endpointsChanged();
    }

    private synchronized List<EndpointAddresses> allEndpoints() {
        List<EndpointAddresses> all = new ArrayList<>(configuredEndpoints);
        if (endpointManager != null) {
            for (Endpoint endpoint : endpointManager.list()) {
                all.add(new EndpointAddresses(endpoint.name(), new Labels(endpoint.labels()), List.of(endpoint.ip())));
            }
        }
        return all;
    }

    public List<InetSocketAddress> listenAddresses() {
        List<InetSocketAddress> addresses = new ArrayList<>();
        int listeners = config.listeners().size()
                + (int) datapath.stream().filter(TransparentProxy.class::isInstance).count();
        for (int i = 0; i < listeners; i++) {
            addresses.add(proxy.boundAddress(i));
        }
        return addresses;
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

    /** Every access-log record as it is written, for the API stream and tests. */
    public AccessLogSubscribers accessLogSubscribers() {
        return subscribers;
    }

    @Override
    public void close() {
        if (api != null) {
            api.close();
        }
        for (DatapathComponent component : datapath) {
            component.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "closing the policy watcher: " + e.getMessage());
            }
        }
        accessLog.close();
    }

    private static List<EndpointAddresses> endpointAddresses(List<EndpointConfig> configured) {
        List<EndpointAddresses> endpoints = new ArrayList<>();
        for (EndpointConfig endpoint : configured) {
            List<String> ips = new ArrayList<>();
            for (InetAddress ip : endpoint.ips()) {
                ips.add(ip.getHostAddress());
            }
            endpoints.add(new EndpointAddresses(endpoint.name(), new Labels(endpoint.labels()), ips));
        }
        return endpoints;
    }

    private static AccessLog accessLog(String target, AccessLogSubscribers subscribers) throws IOException {
        switch (target) {
            case "off":
                return subscribers;
            case "stdout":
                return AccessLog.tee(StreamAccessLog.stdout(), subscribers);
            default:
                Path file = Path.of(target);
                if (file.getParent() != null) {
                    Files.createDirectories(file.getParent());
                }
                return AccessLog.tee(StreamAccessLog.file(file), subscribers);
        }
    }

    private static HttpLimits limits(HttpConfig http, Http2Config http2) {
        return HttpLimits.builder()
                .maxInitialLineLength(http.maxRequestLineBytes())
                .maxHeaderSize(http.maxHeaderBytes())
                .headerReadTimeout(http.headerTimeout())
                .idleTimeout(http.idleTimeout())
                .connectTimeout(http.connectTimeout())
                .http2(new Http2Limits(http2.maxConcurrentStreams(), http2.maxHeaderListBytes(), http2.maxFrameBytes(),
                        http2.initialWindowBytes(), http2.maxContinuationFrames(), http2.maxResetsPerWindow(),
                        http2.maxControlFramesPerWindow(), http2.floodWindow(), http2.maxQueuedControlFrames(),
                        http2.maxConsecutiveEmptyDataFrames()))
                .build();
    }
}
