package io.portcullis.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.Labels;
import io.portcullis.proxy.context.Peer;
import io.portcullis.proxy.context.StaticUpstreamResolver;
import io.portcullis.proxy.testing.FakePolicy;
import io.portcullis.proxy.testing.H2TestUpstream;
import io.portcullis.proxy.testing.RawClient;
import io.portcullis.proxy.testing.RawH2Client;
import io.portcullis.proxy.testing.TcpSockets;
import io.portcullis.proxy.testing.TestUpstream;
import java.net.InetSocketAddress;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every connection ends with its peer: a client that closes (or half-closes: it sends FIN and
 * will send nothing more) leaves no socket of the proxy behind, downstream (no CLOSE_WAIT) or
 * upstream, within a second; and {@link ProxyServer#close()} leaves none either. Checked in the
 * kernel's socket table, which is what keeps a transparent connection's map entries alive.
 */
class ConnectionLifetimeTest {
    private static final long GONE_WITHIN_MILLIS = 1_000;
    private static final Identity FRONTEND = new Identity(300, Labels.ofEndpoint("web", Map.of("app", "frontend")));

    private final TestUpstream http1Upstream = new TestUpstream();
    private final H2TestUpstream http2Upstream = new H2TestUpstream();
    private ProxyServer proxy;
    private int proxyPort;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        http1Upstream.close();
        http2Upstream.close();
    }

    private void start(InetSocketAddress upstream) throws Exception {
        proxy = ProxyServer.builder().eventLoopThreads(1).policy(FakePolicy::l7).accessLog(entry -> { })
                .listener(new InetSocketAddress("127.0.0.1", 0), new StaticUpstreamResolver(upstream,
                        ip -> new Peer(FRONTEND, "frontend", FRONTEND.labels())))
                .build();
        proxy.start();
        proxyPort = proxy.boundPort(0);
    }

    @Test
    void anHttp1ClientThatHalfClosesWhenIdleIsClosedWithItsUpstream() throws Exception {
        start(http1Upstream.address());
        int upstreamPort = http1Upstream.address().getPort();
        try (RawClient client = new RawClient(proxyPort)) {
            assertThat(client.send("GET /a HTTP/1.1\r\nHost: svc\r\n\r\n").read().status()).isEqualTo(200);
            assertThat(TcpSockets.matching(TcpSockets.connectedTo(upstreamPort))).as("the upstream connection is open").isNotEmpty();

            client.shutdownOutput();

            assertThat(client.closedByPeer()).isTrue();
            assertThat(TcpSockets.awaitGone(TcpSockets.acceptedOn(proxyPort).or(TcpSockets.connectedTo(upstreamPort)), GONE_WITHIN_MILLIS))
                    .isEmpty();
        }
    }

    @Test
    void anHttp1RequestFollowedByFinIsAnsweredThenTheConnectionCloses() throws Exception {
        start(http1Upstream.address());
        try (RawClient client = new RawClient(proxyPort)) {
            client.send("GET /a HTTP/1.1\r\nHost: svc\r\n\r\n").shutdownOutput();

            assertThat(client.read().status()).isEqualTo(200);
            assertThat(client.closedByPeer()).isTrue();
            assertThat(TcpSockets.awaitGone(TcpSockets.acceptedOn(proxyPort), GONE_WITHIN_MILLIS)).isEmpty();
        }
    }

    @Test
    void aClientThatHalfClosesBeforeItsFirstByteIsClosed() throws Exception {
        start(http1Upstream.address());
        try (RawClient client = new RawClient(proxyPort)) {
            client.shutdownOutput();

            assertThat(client.closedByPeer()).isTrue();
            assertThat(TcpSockets.awaitGone(TcpSockets.acceptedOn(proxyPort), GONE_WITHIN_MILLIS)).isEmpty();
        }
    }

    @Test
    void anHttp2ClientThatHalfClosesWhenIdleIsClosedWithItsUpstream() throws Exception {
        start(http2Upstream.address());
        int upstreamPort = http2Upstream.address().getPort();
        try (RawH2Client client = new RawH2Client(proxyPort)) {
            completeOneStream(client);
            assertThat(TcpSockets.matching(TcpSockets.connectedTo(upstreamPort))).as("the upstream connection is open").isNotEmpty();

            client.shutdownOutput();

            assertThat(client.closedWithin(GONE_WITHIN_MILLIS)).isTrue();
            assertThat(TcpSockets.awaitGone(TcpSockets.acceptedOn(proxyPort).or(TcpSockets.connectedTo(upstreamPort)), GONE_WITHIN_MILLIS))
                    .isEmpty();
        }
    }

    @Test
    void anHttp2ClientThatClosesTakesItsUpstreamConnectionWithIt() throws Exception {
        start(http2Upstream.address());
        int upstreamPort = http2Upstream.address().getPort();
        RawH2Client client = new RawH2Client(proxyPort);
        completeOneStream(client);
        assertThat(TcpSockets.matching(TcpSockets.connectedTo(upstreamPort))).as("the upstream connection is open").isNotEmpty();

        client.close();

        assertThat(TcpSockets.awaitGone(TcpSockets.acceptedOn(proxyPort).or(TcpSockets.connectedTo(upstreamPort)), GONE_WITHIN_MILLIS))
                .isEmpty();
    }

    @Test
    void closingTheProxyLeavesNoSocketOfItsConnections() throws Exception {
        start(http2Upstream.address());
        int upstreamPort = http2Upstream.address().getPort();
        try (RawH2Client client = new RawH2Client(proxyPort); RawClient silent = new RawClient(proxyPort)) {
            completeOneStream(client);
            client.shutdownOutput();

            proxy.close();

            assertThat(TcpSockets.awaitGone(TcpSockets.acceptedOn(proxyPort).or(TcpSockets.connectedTo(upstreamPort)),
                    GONE_WITHIN_MILLIS)).isEmpty();
        }
    }

    private static void completeOneStream(RawH2Client client) throws Exception {
        client.headers(1, true, RawH2Client.request("GET", "/public/x")).flush();
        client.await(f -> f.type() == RawH2Client.DATA && (f.flags() & RawH2Client.END_STREAM) != 0, 3000);
    }
}
