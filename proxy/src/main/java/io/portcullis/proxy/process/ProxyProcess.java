package io.portcullis.proxy.process;

import io.portcullis.api.control.ProxyStatus;
import io.portcullis.api.feed.Snapshot;
import io.portcullis.bpf.BpfFs;
import io.portcullis.config.AgentConfig;
import io.portcullis.config.ListenerConfig;
import io.portcullis.config.ProxySettings;
import io.portcullis.metrics.MetricsEndpoint;
import io.portcullis.proxy.accesslog.AccessLog;
import io.portcullis.proxy.accesslog.AccessLogTarget;
import io.portcullis.proxy.context.StaticUpstreamResolver;
import io.portcullis.proxy.metrics.ProxyMetrics;
import io.portcullis.proxy.server.ProxyServer;
import io.portcullis.proxy.state.CurrentState;
import io.portcullis.proxy.state.ProxyState;
import io.portcullis.proxy.transparent.OriginalDestinationResolver;
import io.portcullis.redirect.OriginalDestinations;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The proxy process: it waits for the agent's first snapshot (it accepts nothing before: no policy,
 * no traffic), then binds its listeners or takes them over from the running proxy, serves until it
 * is told to drain (by a new proxy, the control socket, or SIGTERM), drains and ends.
 */
public final class ProxyProcess implements ControlServer.Controlled {
    private static final System.Logger LOG = System.getLogger(ProxyProcess.class.getName());
    private static final Duration REACHABILITY_CHECK = Duration.ofSeconds(2);

    private final AgentConfig config;
    private final ProxySettings settings;
    private final CurrentState state = new CurrentState();
    private final CountDownLatch firstState = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicReference<OriginalDestinations> originalDestinations = new AtomicReference<>();
    private final FeedAccessLog monitor = new FeedAccessLog();
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final AtomicReference<MetricsEndpoint> metrics = new AtomicReference<>();
    private volatile ProxyServer server;
    private volatile AgentFeed feed;
    private volatile ControlServer control;
    private volatile boolean draining;

    private ProxyProcess(AgentConfig config) {
        this.config = config;
        this.settings = ProxySettings.of(config);
    }

    /**
     * Runs until drained.
     *
     * @param takeOver take the listening sockets of the proxy running at the control socket
     */
    public static void run(AgentConfig config, boolean takeOver) throws IOException, InterruptedException {
        new ProxyProcess(config).serve(takeOver);
    }

    private void serve(boolean takeOver) throws IOException, InterruptedException {
        if (!takeOver) {
            serveMetrics();
        }
        AccessLog file = AccessLogTarget.open(settings.accessLog());
        AgentFeed feed = new AgentFeed(config.proxy().feedSocket(), settings.digest(), this::apply, this::listeners,
                monitor::watched);
        this.feed = feed;
        monitor.start(feed);
        try {
            feed.start();
            while (!firstState.await(10, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "still waiting for the agent's policy at "
                        + config.proxy().feedSocket() + "; accepting nothing until it arrives");
            }
            ProxyServer proxy = build(AccessLog.tee(file, monitor, new ProxyMetrics(registry, settings.maxTopics())));
            try (ListenerHandover handover = ListenerHandover.connect(config.proxy().controlSocket())) {
                Map<InetSocketAddress, Integer> inherited = takeOver ? handover.takeListeners() : Map.of();
                proxy.start(inherited);
                server = proxy;
                if (!inherited.isEmpty()) {
                    ProxyStatus old = handover.drainOld();
                    LOG.log(System.Logger.Level.INFO, "the previous proxy (pid " + old.pid() + ") drains its "
                            + old.connections() + " connections");
                }
                if (takeOver) {
                    serveMetrics();
                }
                try (ControlServer controlServer = ControlServer.start(config.proxy().controlSocket(), this)) {
                    control = controlServer;
                    watchReachable(controlServer);
                    feed.listenersChanged(state.get().map(ProxyState::generation).orElse(0L));
                    LOG.log(System.Logger.Level.INFO, "proxy ready (pid " + ProcessHandle.current().pid() + "), "
                            + "accepting on " + listeners());
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> drainAndWait(settings.drainTime()),
                            "portcullis-proxy-stop"));
                    stopped.await();
                }
            }
        } finally {
            stopMetrics();
            feed.close();
            monitor.close();
            file.close();
            OriginalDestinations open = originalDestinations.getAndSet(null);
            if (open != null) {
                open.close();
            }
        }
    }

    /**
     * The metrics address is free once the proxy this one takes over from was told to drain (it
     * stops serving metrics first), so a new proxy binds it after the hand-over.
     */
    private void serveMetrics() {
        if (settings.metricsListen() != null) {
            metrics.set(MetricsEndpoint.start(settings.metricsListen(), "metrics.proxyListen", registry));
        }
    }

    private void stopMetrics() {
        MetricsEndpoint endpoint = metrics.getAndSet(null);
        if (endpoint != null) {
            endpoint.close();
        }
    }

    /**
     * A proxy nobody can reach (its control socket's path removed or taken) could never be stopped
     * or upgraded, and would hold its ports against the next one: it stops itself.
     */
    private void watchReachable(ControlServer controlServer) {
        Thread watchdog = new Thread(() -> {
            while (stopped.getCount() > 0 && !draining) {
                try {
                    Thread.sleep(REACHABILITY_CHECK.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
                if (!draining && !controlServer.reachable()) {
                    LOG.log(System.Logger.Level.WARNING, "the control socket " + config.proxy().controlSocket()
                            + " was removed or taken; nobody can reach this proxy any more, so it stops");
                    drain(settings.drainTime());
                    return;
                }
            }
        }, "portcullis-proxy-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private ProxyServer build(AccessLog accessLog) {
        ProxyServer.Builder builder = ProxyServer.builder()
                .limits(settings.http())
                .http2Limits(settings.http2())
                .kafka(settings.kafka())
                .policy(state::policy)
                .accessLog(accessLog);
        if (settings.workerThreads() > 0) {
            builder.eventLoopThreads(settings.workerThreads());
        }
        for (ListenerConfig listener : settings.listeners()) {
            builder.listener(listener.bind(), new StaticUpstreamResolver(listener.upstream(), state.peers()));
        }
        if (settings.transparent() != null) {
            builder.listener(settings.transparent(), new OriginalDestinationResolver(
                    key -> originalDestinations.get().take(key), state::identity, state.peers()));
        }
        return builder.build();
    }

    /** A new snapshot: the pinned map is opened again too, in case the agent re-created it. */
    private List<String> apply(Snapshot snapshot) {
        ProxyState next = ProxyState.from(snapshot);
        if (settings.transparent() != null) {
            OriginalDestinations previous = originalDestinations.getAndSet(OriginalDestinations.open(BpfFs.PIN_ROOT));
            if (previous != null) {
                previous.close();
            }
        }
        state.set(next);
        firstState.countDown();
        return listeners();
    }

    private List<String> listeners() {
        List<String> addresses = new ArrayList<>();
        ProxyServer current = server;
        if (current != null && !draining) {
            for (InetSocketAddress address : current.listeningSockets().keySet()) {
                addresses.add(address.getAddress().getHostAddress() + ":" + address.getPort());
            }
        }
        return addresses;
    }

    @Override
    public ProxyStatus status() {
        ProxyServer current = server;
        return new ProxyStatus(ProcessHandle.current().pid(), settings.digest(),
                state.get().map(ProxyState::generation).orElse(0L),
                state.get().map(ProxyState::policyRevision).orElse(0L), feed != null && feed.connected(), listeners(),
                current == null ? 0 : current.connections(), draining);
    }

    @Override
    public Collection<Integer> listeningSockets() {
        return server.listeningSockets().values();
    }

    @Override
    public Duration drainTime() {
        return settings.drainTime();
    }

    @Override
    public void drain(Duration deadline) {
        ControlServer current = control;
        if (current != null) {
            current.stopListening();
        }
        stopMetrics();
        Thread thread = new Thread(() -> drainAndWait(deadline), "portcullis-proxy-drain");
        thread.start();
    }

    private synchronized void drainAndWait(Duration deadline) {
        if (stopped.getCount() == 0) {
            return;
        }
        draining = true;
        ProxyServer current = server;
        if (current != null) {
            if (deadline.isZero()) {
                LOG.log(System.Logger.Level.INFO, "stopping: closing " + current.connections() + " connections");
                current.close();
            } else {
                LOG.log(System.Logger.Level.INFO, "draining " + current.connections() + " connections (at most "
                        + deadline.toMillis() + " ms)");
                int cut = current.drain(deadline);
                current.close();
                LOG.log(cut == 0 ? System.Logger.Level.INFO : System.Logger.Level.WARNING, cut == 0 ? "proxy drained"
                        : cut + " connections were still open at the end of the drain time and were closed");
            }
        }
        stopped.countDown();
    }
}
