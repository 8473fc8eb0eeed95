package io.portcullis.proxy.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.FileDescriptor;
import io.portcullis.api.control.ControlClient;
import io.portcullis.api.control.ProxyStatus;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.Labels;
import io.portcullis.proxy.accesslog.AccessLog;
import io.portcullis.proxy.context.Peer;
import io.portcullis.proxy.context.StaticUpstreamResolver;
import io.portcullis.proxy.server.ProxyServer;
import io.portcullis.proxy.testing.FakePolicy;
import io.portcullis.proxy.testing.RawClient;
import io.portcullis.proxy.testing.TestUpstream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A listening socket passes from one proxy server to another over the control socket (SCM_RIGHTS):
 * the new one accepts on the same port, the old one keeps serving until told to drain, and a
 * connection open across the hand-over is served to its end.
 */
class ListenerHandoverTest {
    private static final Identity CLIENT = new Identity(300, new Labels(Map.of("app", "client")));
    private static final String REQUEST = "GET /x HTTP/1.1\r\nHost: svc\r\n\r\n";
    private static final int QUEUED = 3;

    @TempDir
    Path dir;
    private final TestUpstream upstream = new TestUpstream();
    private ProxyServer oldProxy;
    private ProxyServer newProxy;
    private ControlServer control;

    @AfterEach
    void stop() {
        if (control != null) {
            control.close();
        }
        for (ProxyServer proxy : new ProxyServer[] {oldProxy, newProxy}) {
            if (proxy != null) {
                proxy.close();
            }
        }
        upstream.close();
    }

    private ProxyServer proxy() {
        return ProxyServer.builder().eventLoopThreads(1).policy(FakePolicy::l7).accessLog(AccessLog.DISCARD)
                .listener(new InetSocketAddress("127.0.0.1", 0), new StaticUpstreamResolver(upstream.address(),
                        ip -> new Peer(CLIENT, "client", CLIENT.labels())))
                .build();
    }

    @Test
    void theNewProxyAcceptsOnTheHandedOverSocketAndTheOldOneDrainsWhenTold() throws Exception {
        oldProxy = proxy();
        oldProxy.start();
        int port = oldProxy.boundPort(0);
        CountDownLatch drainAsked = new CountDownLatch(1);
        Path socket = dir.resolve("proxy.sock");
        control = ControlServer.start(socket, new ControlServer.Controlled() {
            @Override
            public ProxyStatus status() {
                return new ProxyStatus(1, "digest", 1, 1, true, List.of(), oldProxy.connections(), false);
            }

            @Override
            public Collection<Integer> listeningSockets() {
                return oldProxy.listeningSockets().values();
            }

            @Override
            public void drain(Duration deadline) {
                drainAsked.countDown();
            }

            @Override
            public Duration drainTime() {
                return Duration.ofSeconds(1);
            }
        });
        assertThat(ControlClient.status(socket)).map(ProxyStatus::pid).contains(1L);

        try (RawClient before = new RawClient(port);
                ListenerHandover handover = ListenerHandover.connect(socket)) {
            assertThat(before.send(REQUEST).read().status()).isEqualTo(200);
            Map<InetSocketAddress, Integer> sockets = handover.takeListeners();
            assertThat(sockets).containsOnlyKeys(new InetSocketAddress("127.0.0.1", port));

            newProxy = proxy();
            newProxy.start(sockets);
            assertThat(newProxy.boundPort(0)).isEqualTo(port);
            assertThat(drainAsked.getCount()).as("the old proxy serves until told").isEqualTo(1);
            assertThat(handover.drainOld().pid()).isEqualTo(1);
            assertThat(drainAsked.await(5, TimeUnit.SECONDS)).isTrue();

            oldProxy.stopAccepting();
            try (RawClient after = new RawClient(port)) {
                assertThat(after.send(REQUEST).read().status()).as("served by the new proxy").isEqualTo(200);
                // counted while open: a closed connection leaves the count on the proxy's own time
                assertThat(newProxy.connections()).isEqualTo(1);
            }
            assertThat(before.send(REQUEST).read().status()).as("the old connection still served").isEqualTo(200);
        }
    }

    @Test
    void withoutARunningProxyThereIsNothingToTakeOver() throws Exception {
        try (ListenerHandover handover = ListenerHandover.connect(dir.resolve("nobody.sock"))) {
            assertThat(handover.takeListeners()).isEmpty();
        }
        Files.writeString(dir.resolve("stale.sock"), "");
        try (ListenerHandover handover = ListenerHandover.connect(dir.resolve("stale.sock"))) {
            assertThat(handover.takeListeners()).as("a stale path").isEmpty();
        }
    }

    @Test
    void theControlSocketIsReachableUntilAnotherProxyTakesItsPath() throws Exception {
        Path socket = dir.resolve("proxy.sock");
        ControlServer.Controlled idle = new ControlServer.Controlled() {
            @Override
            public ProxyStatus status() {
                return new ProxyStatus(7, "d", 0, 0, false, List.of(), 0, false);
            }

            @Override
            public Collection<Integer> listeningSockets() {
                return List.of();
            }

            @Override
            public void drain(Duration deadline) {
            }

            @Override
            public Duration drainTime() {
                return Duration.ZERO;
            }
        };
        control = ControlServer.start(socket, idle);
        assertThat(control.reachable()).isTrue();
        try (ControlServer next = ControlServer.start(socket, idle)) {
            assertThat(control.reachable()).as("the path leads to the next server").isFalse();
            assertThat(next.reachable()).isTrue();
            control.close();
            control = null;
            assertThat(ControlClient.status(socket)).as("closing the old server leaves the new one's path").isPresent();
        }
    }

    /**
     * A new proxy that fails half-way through its start (a listener it cannot bind) has accepted
     * nothing from the sockets handed over: the connections queued there stay for the old proxy.
     */
    @Test
    void aNewProxyThatFailsToStartTakesNoConnectionFromTheSocketsHandedOver() throws Exception {
        Epoll.ensureAvailability();
        io.netty.channel.unix.Socket listening = io.netty.channel.unix.Socket.newSocketStream();
        List<Socket> queued = new ArrayList<>();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listening.bind(new InetSocketAddress("127.0.0.1", 0));
            listening.listen(16);
            int port = ((InetSocketAddress) listening.localAddress()).getPort();
            Path socket = dir.resolve("proxy.sock");
            control = ControlServer.start(socket, handingOver(listening.intValue()));
            for (int i = 0; i < QUEUED; i++) {
                queued.add(new Socket("127.0.0.1", port)); // in the backlog: nobody accepts yet
            }

            try (ListenerHandover handover = ListenerHandover.connect(socket)) {
                Map<InetSocketAddress, Integer> sockets = handover.takeListeners();
                newProxy = ProxyServer.builder().eventLoopThreads(1).policy(FakePolicy::l7)
                        .accessLog(AccessLog.DISCARD)
                        .listener(new InetSocketAddress("127.0.0.1", port), resolver())
                        .listener(new InetSocketAddress("127.0.0.1", taken.getLocalPort()), resolver())
                        .build();
                assertThatThrownBy(() -> newProxy.start(sockets)).isInstanceOf(BindException.class);
            }

            int left = 0;
            for (int fd; (fd = listening.accept(new byte[26])) >= 0; left++) {
                new FileDescriptor(fd).close();
            }
            assertThat(left).as("connections still queued for the old proxy").isEqualTo(QUEUED);
        } finally {
            for (Socket client : queued) {
                client.close();
            }
            listening.close();
        }
    }

    private StaticUpstreamResolver resolver() {
        return new StaticUpstreamResolver(upstream.address(), ip -> new Peer(CLIENT, "client", CLIENT.labels()));
    }

    /** A proxy's control side that hands the listening socket fd over. */
    private static ControlServer.Controlled handingOver(int fd) {
        return new ControlServer.Controlled() {
            @Override
            public ProxyStatus status() {
                return new ProxyStatus(1, "digest", 1, 1, true, List.of(), 0, false);
            }

            @Override
            public Collection<Integer> listeningSockets() {
                return List.of(fd);
            }

            @Override
            public void drain(Duration deadline) {
                throw new AssertionError("a proxy that failed to start asked the old one to drain");
            }

            @Override
            public Duration drainTime() {
                return Duration.ofSeconds(1);
            }
        };
    }
}
