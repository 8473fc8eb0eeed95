package io.portcullis.tests.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.agent.proxy.AccessLogStream;
import io.portcullis.agent.proxy.ProxyFeed;
import io.portcullis.api.control.ControlClient;
import io.portcullis.api.control.ProxyStatus;
import io.portcullis.api.feed.Snapshot;
import io.portcullis.config.AgentConfig;
import io.portcullis.config.AgentConfigLoader;
import io.portcullis.proxy.process.ProxyProcess;
import io.portcullis.proxy.testing.RawClient;
import io.portcullis.proxy.testing.TcpSockets;
import io.portcullis.proxy.testing.TestUpstream;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy process ({@link ProxyProcess}, here in threads of the test's JVM) against an agent's
 * feed ({@link ProxyFeed}) and a real upstream, when something goes wrong: it accepts nothing
 * until it has the agent's policy, a hand-over that fails leaves the old proxy serving, and after
 * a hand-over only the new proxy holds the listening socket.
 */
class ProxyFaultsTest {
    private static final String REQUEST = "GET /x HTTP/1.1\r\nHost: svc\r\n\r\n";
    private static final long READY_MILLIS = 15_000;

    @TempDir
    Path dir;
    private final TestUpstream upstream = new TestUpstream();
    private final List<CompletableFuture<Void>> proxies = new CopyOnWriteArrayList<>();
    private ProxyFeed feed;

    @AfterEach
    void stop() throws Exception {
        if (proxies.stream().anyMatch(proxy -> !proxy.isDone())) {
            ControlClient.stop(dir.resolve("proxy.sock"));
        }
        for (CompletableFuture<Void> proxy : proxies) {
            proxy.handle((done, failure) -> null).get(10, TimeUnit.SECONDS);
        }
        if (feed != null) {
            feed.close();
        }
        upstream.close();
    }

    @Test
    void aProxyThatCannotReachTheAgentAcceptsNothingUntilItHasThePolicy() throws Exception {
        int port = freePort();
        runProxy(config(port), false);

        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_500);
        while (System.nanoTime() < until) {
            assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).as("no agent, no policy: refused")
                    .isInstanceOf(ConnectException.class);
            Thread.sleep(100);
        }

        startFeed();
        awaitAccepting(port);
        try (RawClient client = new RawClient(port)) {
            assertThat(client.send(REQUEST).read().status()).isEqualTo(200);
        }
    }

    @Test
    void aHandOverThatFailsLeavesTheOldProxyServing() throws Exception {
        startFeed();
        int port = freePort();
        runProxy(config(port), false);
        awaitAccepting(port);
        ProxyStatus old = ControlClient.status(dir.resolve("proxy.sock")).orElseThrow();

        AtomicBoolean loading = new AtomicBoolean(true);
        CompletableFuture<int[]> load = CompletableFuture.supplyAsync(() -> requestsUntil(port, loading));
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // The new proxy takes the listening socket over, then cannot bind its second listener.
            CompletableFuture<Void> failed = runProxy(config(port, taken.getLocalPort()), true);
            assertThat(failed).failsWithin(READY_MILLIS, TimeUnit.MILLISECONDS).withThrowableThat()
                    .withCauseInstanceOf(BindException.class);
        } finally {
            loading.set(false);
        }
        int[] servedAndFailed = load.get(10, TimeUnit.SECONDS);
        assertThat(servedAndFailed[0]).as("requests served during the failed hand-over").isPositive();
        assertThat(servedAndFailed[1]).as("requests that failed during the failed hand-over").isZero();

        ProxyStatus after = ControlClient.status(dir.resolve("proxy.sock")).orElseThrow();
        assertThat(after.draining()).as("the old proxy was never told to drain").isFalse();
        assertThat(after.listeners()).isEqualTo(old.listeners());
        for (int i = 0; i < 20; i++) {
            try (RawClient client = new RawClient(port)) {
                assertThat(client.send(REQUEST).read().status()).as("request " + i).isEqualTo(200);
            }
        }
        assertThat(proxies.get(0)).as("the old proxy still runs").isNotDone();
    }

    @Test
    void afterAHandOverOnlyTheNewProxyHoldsTheListeningSocket() throws Exception {
        startFeed();
        int port = freePort();
        CompletableFuture<Void> oldProxy = runProxy(config(port), false);
        awaitAccepting(port);
        TcpSockets.Socket listener = TcpSockets.listening(port);
        assertThat(TcpSockets.descriptorsOf(listener)).as("the old proxy's").isEqualTo(1);

        long start = System.nanoTime();
        runProxy(config(port), true);
        long bothSince = 0;
        long bothFor = 0;
        while (!oldProxy.isDone() && System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(READY_MILLIS)) {
            int holders = TcpSockets.descriptorsOf(listener);
            if (holders > 1 && bothSince == 0) {
                bothSince = System.nanoTime();
            } else if (holders == 1 && bothSince != 0 && bothFor == 0) {
                bothFor = System.nanoTime() - bothSince;
            }
            Thread.sleep(2);
        }

        assertThat(bothSince).as("the new proxy held the listening socket beside the old one").isNotZero();
        assertThat(oldProxy).as("the old proxy drained and ended").isDone();
        assertThat(TcpSockets.descriptorsOf(listener)).as("only the new proxy's").isEqualTo(1);
        System.out.println("hand-over: both proxies held the listening socket for "
                + TimeUnit.NANOSECONDS.toMillis(bothFor) + " ms");
        assertThat(TimeUnit.NANOSECONDS.toMillis(bothFor)).as("ms both held it").isLessThan(1_000);
        try (RawClient client = new RawClient(port)) {
            assertThat(client.send(REQUEST).read().status()).as("served by the new proxy").isEqualTo(200);
        }
    }

    /** New-connection requests one after another while running is set: {served, failed}. */
    private static int[] requestsUntil(int port, AtomicBoolean running) {
        int served = 0;
        int failed = 0;
        while (running.get()) {
            try (RawClient client = new RawClient(port)) {
                if (client.send(REQUEST).read().status() == 200) {
                    served++;
                } else {
                    failed++;
                }
            } catch (IOException e) {
                failed++;
            }
        }
        return new int[] {served, failed};
    }

    private void startFeed() throws IOException {
        feed = ProxyFeed.start(dir.resolve("feed.sock"), new AccessLogStream());
        feed.publish(new Snapshot(1, 1, List.of(), List.of(), List.of(), List.of()));
    }

    private AgentConfig config(int... ports) throws IOException {
        Files.createDirectories(dir.resolve("policies"));
        StringBuilder listeners = new StringBuilder();
        for (int port : ports) {
            listeners.append("  - {port: ").append(port).append(", bind: 127.0.0.1, upstream: \"127.0.0.1:")
                    .append(upstream.address().getPort()).append("\"}\n");
        }
        Path file = Files.writeString(dir.resolve("agent-" + proxies.size() + ".yaml"), """
                datapath: none
                policyDir: policies
                workerThreads: 1
                listeners:
                %sproxy:
                  feedSocket: feed.sock
                  controlSocket: proxy.sock
                  drainTime: 1s
                """.formatted(listeners));
        return AgentConfigLoader.load(file);
    }

    private CompletableFuture<Void> runProxy(AgentConfig config, boolean takeOver) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                ProxyProcess.run(config, takeOver);
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, "proxy-" + proxies.size());
        thread.setDaemon(true);
        proxies.add(done);
        thread.start();
        return done;
    }

    /** Waits until a proxy accepts on port and answers on its control socket (it starts that after its listeners). */
    private void awaitAccepting(int port) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_MILLIS);
        while (System.nanoTime() < end) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                if (ControlClient.status(dir.resolve("proxy.sock")).isPresent()) {
                    return;
                }
            } catch (IOException e) {
                // not accepting yet
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no proxy serves on port " + port + " within " + READY_MILLIS + " ms");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
