package io.portcullis.agent.proxy;

import io.portcullis.api.control.ControlClient;
import io.portcullis.api.control.ProxyStatus;
import io.portcullis.config.AgentConfig;
import io.portcullis.config.ProxySettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the proxy process beside the agent: adopts one already running (found at its control
 * socket, e.g. after the agent restarted), else starts one; restarts it when it exits, with a
 * backoff that grows while it keeps failing; and upgrades it by starting a new process that takes
 * the listening sockets over before the old one drains. Its exits and restarts are logged and
 * shown in {@link #status()}.
 */
public final class ProxySupervisor implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ProxySupervisor.class.getName());
    static final String MAIN_CLASS = "io.portcullis.proxy.process.ProxyMain";
    private static final long MAX_BACKOFF_MS = 10_000;
    private static final Duration STABLE = Duration.ofSeconds(60);
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private final AgentConfig config;
    private final ProxyFeed feed;
    private final String digest;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "portcullis-proxy-supervisor");
        thread.setDaemon(true);
        return thread;
    });
    private ProcessHandle current;
    /**
     * The proxy handing its listeners over during an upgrade: it drains and ends (at once when
     * idle, often before the new one is ready), which is no crash to restart it for.
     */
    private ProcessHandle retiring;
    private Instant currentSince;
    private long backoffMs;
    private int restarts;
    private String lastExit;
    private boolean closed;

    private ProxySupervisor(AgentConfig config, ProxyFeed feed) {
        this.config = config;
        this.feed = feed;
        this.digest = ProxySettings.of(config).digest();
    }

    /**
     * Adopts the proxy answering at the control socket (upgrading it when it runs with other
     * settings) or starts one; returns once it judges by the feed's latest snapshot.
     */
    public static ProxySupervisor start(AgentConfig config, ProxyFeed feed, Duration ready) throws IOException {
        ProxySupervisor supervisor = new ProxySupervisor(config, feed);
        Optional<ProxyStatus> running = ControlClient.status(config.proxy().controlSocket());
        Optional<ProcessHandle> handle = running.flatMap(status -> ProcessHandle.of(status.pid()));
        ProcessHandle proxy;
        synchronized (supervisor) {
            if (handle.isPresent()) {
                LOG.log(System.Logger.Level.INFO, "adopting the running proxy (pid " + handle.get().pid() + ")");
                proxy = handle.get();
            } else {
                proxy = supervisor.spawn(false);
            }
            supervisor.watch(proxy);
        }
        try {
            supervisor.waitFor(proxy, ready);
        } catch (IOException e) {
            supervisor.close();
            if (handle.isEmpty()) {
                proxy.destroyForcibly();
            }
            throw e;
        }
        if (running.isPresent() && handle.isPresent() && !running.get().settingsDigest().equals(supervisor.digest)) {
            LOG.log(System.Logger.Level.INFO, "the running proxy has other settings; handing its listeners over to a "
                    + "new proxy process");
            supervisor.upgrade(ready);
        }
        return supervisor;
    }

    /**
     * Starts a new proxy process that takes the listening sockets over; once it judges by the
     * latest snapshot, it is the supervised one and the old one drains. A new process that fails
     * before that leaves the old one serving.
     */
    public void upgrade(Duration ready) throws IOException {
        ProcessHandle next;
        synchronized (this) {
            retiring = current;
            next = spawn(true);
        }
        try {
            waitFor(next, ready);
        } catch (IOException e) {
            next.destroyForcibly();
            synchronized (this) {
                ProcessHandle old = retiring;
                retiring = null;
                if (old != null && !old.isAlive()) {
                    exited(old);
                }
            }
            throw new IOException("proxy upgrade failed, the running proxy keeps serving: " + e.getMessage(), e);
        }
        synchronized (this) {
            ProcessHandle old = current;
            retiring = null;
            watch(next);
            LOG.log(System.Logger.Level.INFO, "proxy upgraded: pid " + next.pid() + " accepts, pid "
                    + (old == null ? "-" : old.pid()) + " drains");
        }
    }

    /** Blocks until the supervised proxy confirmed the latest snapshot and accepts connections. */
    public void awaitReady(Duration timeout) throws IOException {
        ProcessHandle proxy;
        synchronized (this) {
            proxy = current;
        }
        waitFor(proxy, timeout);
    }

    private void waitFor(ProcessHandle proxy, Duration timeout) throws IOException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (!proxy.isAlive()) {
                throw new IOException("the proxy process (pid " + proxy.pid() + ") exited before it was ready; "
                        + "see its log lines above");
            }
            for (ConnectedProxy connected : feed.proxies()) {
                if (connected.pid() == proxy.pid() && connected.generation() >= feed.latestGeneration()
                        && !connected.listeners().isEmpty()) {
                    return;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the proxy", e);
            }
        }
        throw new IOException("the proxy process (pid " + proxy.pid() + ") was not ready within " + timeout.toMillis()
                + " ms");
    }

    private ProcessHandle spawn(boolean takeOver) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(config.proxy().javaOptions());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN_CLASS, "--config",
                config.source().toString()));
        if (takeOver) {
            command.add("--take-over");
        }
        Process process = new ProcessBuilder(command).inheritIO().start();
        LOG.log(System.Logger.Level.INFO, "started proxy process pid " + process.pid()
                + (takeOver ? " to take the listeners over" : ""));
        return process.toHandle();
    }

    /** Makes {@code proxy} the supervised process; its exit leads to a restart unless another took over. */
    private void watch(ProcessHandle proxy) {
        current = proxy;
        currentSince = Instant.now();
        proxy.onExit().thenAccept(this::exited);
    }

    private synchronized void exited(ProcessHandle proxy) {
        boolean handingOver = retiring != null && retiring.pid() == proxy.pid();
        if (closed || handingOver || current == null || current.pid() != proxy.pid()) {
            LOG.log(System.Logger.Level.INFO, "proxy pid " + proxy.pid() + " ended");
            return;
        }
        boolean stable = Duration.between(currentSince, Instant.now()).compareTo(STABLE) >= 0;
        backoffMs = stable ? 0 : backoffMs == 0 ? 100 : Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        lastExit = Instant.now() + ": pid " + proxy.pid() + " exited";
        restarts++;
        LOG.log(System.Logger.Level.WARNING, "the proxy (pid " + proxy.pid() + ") exited; connections that need L7 "
                + "policy are refused until it is back; restarting it" + (backoffMs == 0 ? "" : " in " + backoffMs + " ms"));
        current = null;
        timer.schedule(this::restart, backoffMs, TimeUnit.MILLISECONDS);
    }

    private synchronized void restart() {
        if (closed) {
            return;
        }
        try {
            watch(spawn(false));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "cannot start the proxy: " + e.getMessage() + "; trying again");
            backoffMs = Math.min(MAX_BACKOFF_MS, Math.max(100, backoffMs * 2));
            timer.schedule(this::restart, backoffMs, TimeUnit.MILLISECONDS);
        }
    }

    /** For {@code status}: the supervised process and its history. */
    public synchronized Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("pid", current == null ? null : current.pid());
        status.put("running", current != null && current.isAlive());
        status.put("since", currentSince == null ? null : currentSince.toString());
        status.put("restarts", restarts);
        status.put("lastExit", lastExit);
        return status;
    }

    /** The pid of the supervised proxy, when one runs. */
    public synchronized Optional<Long> pid() {
        return current == null ? Optional.empty() : Optional.of(current.pid());
    }

    /** Stops supervising and leaves the proxy running: it keeps enforcing until the next agent adopts it. */
    @Override
    public synchronized void close() {
        closed = true;
        timer.shutdownNow();
    }

    /** Stops supervising and stops the proxy too: it closes its connections and ends. */
    public void stopProxy() {
        ProcessHandle proxy;
        synchronized (this) {
            close();
            proxy = current;
        }
        if (proxy == null) {
            return;
        }
        try {
            ControlClient.stop(config.proxy().controlSocket());
            proxy.onExit().get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "the proxy (pid " + proxy.pid() + ") did not stop when asked ("
                    + e.getMessage() + "); killing it");
            proxy.destroyForcibly();
        }
    }
}
