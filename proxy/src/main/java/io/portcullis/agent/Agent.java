package io.portcullis.agent;

import io.portcullis.config.AgentConfig;
import io.portcullis.config.Datapath;
import io.portcullis.config.EndpointConfig;
import io.portcullis.config.Http2Config;
import io.portcullis.config.HttpConfig;
import io.portcullis.config.ListenerConfig;
import io.portcullis.agent.api.ApiServer;
import io.portcullis.config.yaml.ConfigException;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.EndpointAddresses;
import io.portcullis.policy.identity.IdentityAllocator;
import io.portcullis.policy.identity.IpCache;
import io.portcullis.policy.identity.Labels;
import io.portcullis.policy.load.PolicyDirectory;
import io.portcullis.policy.model.Policy;
import io.portcullis.policy.resolve.PolicyCompiler;
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
import java.util.concurrent.atomic.AtomicReference;

/**
 * The node agent: it allocates identities for the configured endpoints, keeps the policy
 * directory compiled and current, and runs the proxy that enforces it.
 */
public final class Agent implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Agent.class.getName());

    private final AgentConfig config;
    private final IdentityAllocator identities = new IdentityAllocator();
    private final List<EndpointAddresses> endpoints;
    private final PolicyDirectory policyDirectory = new PolicyDirectory();
    private final AtomicReference<PolicyState> state = new AtomicReference<>();
    private final AccessLogSubscribers subscribers = new AccessLogSubscribers();
    private final AccessLog accessLog;
    private ProxyServer proxy;
    private PolicyWatcher watcher;
    private ApiServer api;

    private Agent(AgentConfig config) throws IOException {
        this.config = config;
        this.endpoints = endpointAddresses(config.endpoints());
        this.accessLog = accessLog(config.accessLog(), subscribers);
    }

    /** Loads the policies, starts the proxy and the policy watcher; fails without leaving anything running. */
    public static Agent start(AgentConfig config) throws IOException {
        if (config.datapath() != Datapath.NONE) {
            throw new IllegalArgumentException("datapath: " + config.datapath().name().toLowerCase()
                    + " is not available in this build; set datapath: none and configure listeners");
        }
        if (!Files.isDirectory(config.policyDir())) {
            throw new IllegalArgumentException("policyDir " + config.policyDir() + " is not a directory");
        }
        Agent agent = new Agent(config);
        try {
            agent.reloadPolicies();
            agent.watcher = new PolicyWatcher(config.policyDir(), agent::reloadPolicies);
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
        IpCachePeerLookup peers = new IpCachePeerLookup(() -> state.get().ipCache());
        ProxyServer.Builder builder = ProxyServer.builder()
                .limits(limits(config.http(), config.http2()))
                .policy(() -> state.get().snapshot())
                .accessLog(accessLog);
        if (config.workerThreads() > 0) {
            builder.eventLoopThreads(config.workerThreads());
        }
        for (ListenerConfig listener : config.listeners()) {
            builder.listener(listener.bind(), new StaticUpstreamResolver(listener.upstream(), peers));
        }
        return builder.build();
    }

    /** Re-reads the policy directory; a rejected file keeps its last good version in force. */
    synchronized void reloadPolicies() {
        PolicyDirectory.State loaded = policyDirectory.reload(config.policyDir());
        PolicyState current = state.get();
        List<String> known = current == null ? List.of() : messages(current.errors());
        for (ConfigException error : loaded.errors()) {
            if (!known.contains(error.getMessage())) {
                LOG.log(System.Logger.Level.ERROR, "policy rejected, its last good version stays in force: "
                        + error.getMessage());
            }
        }
        if (current != null && current.snapshot().revision() == loaded.revision()) {
            state.set(new PolicyState(current.snapshot(), current.ipCache(), loaded.errors()));
            return;
        }
        IpCache.Builder ipCache = IpCache.builder(identities).cidrs(Policy.cidrPrefixes(loaded.policies()));
        endpoints.forEach(ipCache::endpoint);
        state.set(new PolicyState(PolicyCompiler.compile(loaded.policies(), loaded.revision()), ipCache.build(),
                loaded.errors()));
        LOG.log(System.Logger.Level.INFO, "policy revision " + loaded.revision() + " in force: "
                + loaded.policies().size() + " policies from " + config.policyDir());
    }

    public List<InetSocketAddress> listenAddresses() {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (int i = 0; i < config.listeners().size(); i++) {
            addresses.add(proxy.boundAddress(i));
        }
        return addresses;
    }

    public long policyRevision() {
        return state.get().snapshot().revision();
    }

    /** The current policy errors, each naming its file, line and field. */
    public List<String> policyErrors() {
        return messages(state.get().errors());
    }

    private static List<String> messages(List<ConfigException> errors) {
        List<String> messages = new ArrayList<>();
        for (ConfigException error : errors) {
            messages.add(error.getMessage());
        }
        return messages;
    }

    public int policyCount() {
        return policies().size();
    }

    List<Policy> policies() {
        return state.get().snapshot().policies();
    }

    List<Identity> identities() {
        return identities.identities();
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
