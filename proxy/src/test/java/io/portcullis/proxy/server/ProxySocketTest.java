package io.portcullis.proxy.server;

import io.portcullis.config.HttpLimits;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.Labels;
import io.portcullis.policy.resolve.L4Verdict;
import io.portcullis.policy.resolve.PolicySnapshot;
import io.portcullis.proxy.accesslog.AccessLogEntry;
import io.portcullis.proxy.context.Peer;
import io.portcullis.proxy.context.StaticUpstreamResolver;
import io.portcullis.proxy.testing.FakePolicy;
import io.portcullis.proxy.testing.RawClient;
import io.portcullis.proxy.testing.TestUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The proxy on loopback between a raw-socket client and a real upstream server. */
class ProxySocketTest {
    private static final String H = "Host: svc\r\n";
    private static final Identity FRONTEND = new Identity(300, Labels.ofEndpoint("web", Map.of("app", "frontend")));

    private final TestUpstream upstream = new TestUpstream();
    private final List<AccessLogEntry> entries = new CopyOnWriteArrayList<>();
    private final AtomicReference<PolicySnapshot> policy = new AtomicReference<>(FakePolicy.l7());
    private ProxyServer proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        upstream.close();
    }

    private int start(HttpLimits limits, InetSocketAddress target) throws Exception {
        proxy = ProxyServer.builder().eventLoopThreads(2).limits(limits).policy(policy::get).accessLog(entries::add)
                .listener(new InetSocketAddress("127.0.0.1", 0), new StaticUpstreamResolver(target,
                        ip -> new Peer(FRONTEND, "frontend", FRONTEND.labels())))
                .build();
        proxy.start();
        return proxy.boundPort(0);
    }

    private int start() throws Exception {
        return start(HttpLimits.DEFAULTS, upstream.address());
    }

    @Test
    void allowedGetIsForwardedWithBodyIntactAndLogged() throws Exception {
        int port = start();
        try (RawClient client = new RawClient(port)) {
            RawClient.Response r = client.send("GET /hello?x=1 HTTP/1.1\r\n" + H + "\r\n").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("upstream saw GET /hello?x=1 body=");
        }
        assertThat(upstream.received).hasSize(1);
        waitForEntries(2);
        ObjectMapper json = new ObjectMapper();
        JsonNode request = json.readTree(entries.get(0).toJson());
        JsonNode response = json.readTree(entries.get(1).toJson());
        assertThat(request.get("type").asText()).isEqualTo("request");
        assertThat(request.get("verdict").asText()).isEqualTo("forwarded");
        assertThat(request.get("observationPoint").asText()).isEqualTo("egress");
        assertThat(request.get("l7Protocol").asText()).isEqualTo("http");
        assertThat(request.get("policy").asText()).isEqualTo("allow-policy");
        assertThat(request.at("/source/identity").asInt()).isEqualTo(300);
        assertThat(request.at("/source/labels/k8s:app").asText()).isEqualTo("frontend");
        assertThat(request.at("/source/namespace").asText()).isEqualTo("web");
        assertThat(request.at("/source/ip").asText()).isEqualTo("127.0.0.1");
        assertThat(request.at("/destination/port").asInt()).isEqualTo(upstream.address().getPort());
        assertThat(request.at("/http/url").asText()).isEqualTo("/hello?x=1");
        assertThat(request.at("/http/host").asText()).isEqualTo("svc");
        assertThat(request.at("/http/protocol").asText()).isEqualTo("HTTP/1.1");
        assertThat(request.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(response.get("type").asText()).isEqualTo("response");
        assertThat(response.at("/http/code").asInt()).isEqualTo(200);
        assertThat(response.get("latencyNs").asLong()).isPositive();
    }

    @Test
    void h2cUpgradeOnALaterRequestIsIgnoredAndTheRequestServedAsHttp1() throws Exception {
        int port = start();
        String upgrade = "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAA\r\n";
        try (RawClient client = new RawClient(port)) {
            assertThat(client.send("GET /first HTTP/1.1\r\n" + H + "\r\n").read().status()).isEqualTo(200);
            RawClient.Response second = client.send("GET /second HTTP/1.1\r\n" + H + upgrade + "\r\n").read();
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.body()).isEqualTo("upstream saw GET /second body=");
        }
        assertThat(upstream.received).hasSize(2);
    }

    @Test
    void deniedRequestGets403AndTheConnectionServesTheNextRequest() throws Exception {
        int port = start();
        try (RawClient client = new RawClient(port)) {
            RawClient.Response denied = client.send("POST /deny/x HTTP/1.1\r\n" + H + "Content-Length: 5\r\n\r\nhello").read();
            assertThat(denied.status()).isEqualTo(403);
            assertThat(denied.body()).isEqualTo("Access denied\r\n");
            // The body is 15 bytes ("Access denied" + CRLF); announcing more would desynchronise keep-alive.
            assertThat(denied.header("Content-Length")).isEqualTo("15");
            assertThat(denied.header("Content-Type")).isEqualTo("text/plain");
            RawClient.Response allowed = client.send("GET /ok HTTP/1.1\r\n" + H + "\r\n").read();
            assertThat(allowed.status()).isEqualTo(200);
        }
        assertThat(upstream.received).extracting(TestUpstream.Received::uri).containsExactly("/ok");
        waitForEntries(4);
        JsonNode deniedRecord = new ObjectMapper().readTree(entries.get(0).toJson());
        assertThat(deniedRecord.get("verdict").asText()).isEqualTo("denied");
        assertThat(deniedRecord.get("policy").asText()).isEqualTo("deny-policy");
        assertThat(deniedRecord.get("observationPoint").asText()).isEqualTo("ingress");
        assertThat(new ObjectMapper().readTree(entries.get(1).toJson()).at("/http/code").asInt()).isEqualTo(403);
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        int port = start();
        try (RawClient client = new RawClient(port)) {
            client.send("GET /a HTTP/1.1\r\n" + H + "\r\n"
                    + "POST /deny HTTP/1.1\r\n" + H + "Content-Length: 3\r\n\r\nabc"
                    + "POST /c HTTP/1.1\r\n" + H + "Content-Length: 3\r\n\r\nxyz");
            assertThat(client.read().body()).isEqualTo("upstream saw GET /a body=");
            assertThat(client.read().status()).isEqualTo(403);
            assertThat(client.read().body()).isEqualTo("upstream saw POST /c body=xyz");
        }
        assertThat(upstream.received).extracting(TestUpstream.Received::uri).containsExactly("/a", "/c");
    }

    @Test
    void chunkedPostIsStreamedThrough() throws Exception {
        int port = start();
        try (RawClient client = new RawClient(port)) {
            client.send("POST /upload HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
            Thread.sleep(50);
            client.send("6\r\n world\r\n0\r\n\r\n");
            RawClient.Response r = client.read();
            assertThat(r.body()).isEqualTo("upstream saw POST /upload body=hello world");
            RawClient.Response chunked = client.send("GET /chunked HTTP/1.1\r\n" + H + "\r\n").read();
            assertThat(chunked.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(chunked.body()).isEqualTo("upstream saw GET /chunked body=");
        }
    }

    @Test
    void headerActionsAndNormalisedPathReachTheUpstream() throws Exception {
        int port = start();
        try (RawClient client = new RawClient(port)) {
            client.send("GET /actions/./x/../%2e%2e/actions//y%41?q=%2e%2e/z HTTP/1.1\r\n" + H
                    + "X-Present: kept\r\nX-Secret: s\r\nX-Token: old\r\nConnection: keep-alive, X-Hop\r\nX-Hop: 1\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(200);
            client.send("GET http://other.example/abs/../p HTTP/1.1\r\n" + H + "\r\n");
            assertThat(client.read().status()).isEqualTo(200);
        }
        TestUpstream.Received first = upstream.received.get(0);
        assertThat(first.uri()).isEqualTo("/actions/yA?q=%2e%2e/z");
        assertThat(first.headers()).containsEntry("X-Added", "yes").containsEntry("X-Present", "kept")
                .containsEntry("X-Token", "new").doesNotContainKeys("X-Secret", "X-Hop");
        TestUpstream.Received second = upstream.received.get(1);
        assertThat(second.uri()).isEqualTo("/p");
        assertThat(second.headers()).containsEntry("Host", "other.example");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "CL+TE          | POST / HTTP/1.1\\r\\nHost: svc\\r\\nContent-Length: 4\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n | 400",
            "duplicate CL   | POST / HTTP/1.1\\r\\nHost: svc\\r\\nContent-Length: 4\\r\\nContent-Length: 4\\r\\n\\r\\nabcd | 400",
            "TE gzip        | POST / HTTP/1.1\\r\\nHost: svc\\r\\nTransfer-Encoding: gzip\\r\\n\\r\\nabcd | 400",
            "obs-fold       | GET / HTTP/1.1\\r\\nHost: svc\\r\\nX-A: a\\r\\n b\\r\\n\\r\\n | 400",
            "bare LF        | GET / HTTP/1.1\\nHost: svc\\n\\n | 400",
            "bad name       | GET / HTTP/1.1\\r\\nHost: svc\\r\\nBad Name: x\\r\\n\\r\\n | 400",
            "encoded slash  | GET /a%2Fb HTTP/1.1\\r\\nHost: svc\\r\\n\\r\\n | 400",
            "backslash      | GET /a\\\\..\\\\b HTTP/1.1\\r\\nHost: svc\\r\\n\\r\\n | 400",
            "dot params     | GET /public/..;/admin HTTP/1.1\\r\\nHost: svc\\r\\n\\r\\n | 400",
            "HTTP/2.0       | GET / HTTP/2.0\\r\\nHost: svc\\r\\n\\r\\n | 505",
            "CONNECT        | CONNECT svc:443 HTTP/1.1\\r\\nHost: svc\\r\\n\\r\\n | 400",
    })
    void badInputIsRefusedAndNeverForwarded(String name, String raw, int status) throws Exception {
        int port = start();
        try (RawClient client = new RawClient(port)) {
            RawClient.Response r = client.send(raw.replace("\\r", "\r").replace("\\n", "\n").replace("\\\\", "\\")
                    + "GET /after HTTP/1.1\r\nHost: svc\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(status);
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(client.closedByPeer()).isTrue();
        }
        assertThat(upstream.connections.get()).isZero();
        assertThat(upstream.received).isEmpty();
        waitForEntries(1);
        assertThat(entries.get(0).verdict()).isEqualTo(AccessLogEntry.Verdict.ERROR);
        assertThat(entries.get(0).http().code()).isEqualTo(status);
    }

    @Test
    void smugglingAfterAGoodRequestDoesNotReachTheUpstream() throws Exception {
        int port = start();
        try (RawClient client = new RawClient(port)) {
            client.send("GET /first HTTP/1.1\r\n" + H + "\r\n"
                    + "POST / HTTP/1.1\r\n" + H + "Content-Length: 30\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "0\r\n\r\nGET /smuggled HTTP/1.1\r\n" + H + "\r\n");
            assertThat(client.read().status()).isEqualTo(200);
            assertThat(client.read().status()).isEqualTo(400);
            assertThat(client.closedByPeer()).isTrue();
        }
        assertThat(upstream.received).extracting(TestUpstream.Received::uri).containsExactly("/first");
    }

    @Test
    void oversizedRequestLineAndHeadersGet414And431() throws Exception {
        int port = start(HttpLimits.builder().maxInitialLineLength(100).maxHeaderSize(200).build(), upstream.address());
        try (RawClient client = new RawClient(port)) {
            assertThat(client.send("GET /" + "a".repeat(200) + " HTTP/1.1\r\n" + H + "\r\n").read().status()).isEqualTo(414);
        }
        try (RawClient client = new RawClient(port)) {
            assertThat(client.send("GET / HTTP/1.1\r\n" + H + "X-Big: " + "b".repeat(300) + "\r\n\r\n").read().status())
                    .isEqualTo(431);
        }
        assertThat(upstream.connections.get()).isZero();
    }

    @Test
    void refusedUpstreamGives503() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        int port = start(HttpLimits.DEFAULTS, new InetSocketAddress("127.0.0.1", closedPort));
        try (RawClient client = new RawClient(port)) {
            RawClient.Response r = client.send("GET / HTTP/1.1\r\n" + H + "\r\n").read();
            assertThat(r.status()).isEqualTo(503);
            assertThat(client.closedByPeer()).isTrue();
        }
        waitForEntries(2);
        assertThat(entries.get(1).verdict()).isEqualTo(AccessLogEntry.Verdict.ERROR);
        assertThat(entries.get(1).http().code()).isEqualTo(503);
    }

    @Test
    void upstreamClosingWithoutAnswerGives502() throws Exception {
        int port = start();
        try (RawClient client = new RawClient(port)) {
            assertThat(client.send("GET /reset HTTP/1.1\r\n" + H + "\r\n").read().status()).isEqualTo(502);
            assertThat(client.closedByPeer()).isTrue();
        }
    }

    @Test
    void upstreamClosingMidResponseClosesTheClient() throws Exception {
        int port = start();
        try (RawClient client = new RawClient(port)) {
            client.send("GET /close-mid HTTP/1.1\r\n" + H + "\r\n");
            assertThat(client.readHead().status()).isEqualTo(200);
            byte[] partial = new byte[7];
            int n = 0;
            for (int b; n < 7 && (b = readByte(client)) >= 0; n++) {
                partial[n] = (byte) b;
            }
            assertThat(new String(partial, 0, n)).isEqualTo("partial");
            assertThat(client.closedByPeer()).isTrue();
        }
    }

    @Test
    void slowHeaderGets408() throws Exception {
        int port = start(HttpLimits.builder().headerReadTimeout(Duration.ofMillis(300)).build(), upstream.address());
        try (RawClient client = new RawClient(port)) {
            client.send("GET / HTTP/1.1\r\n");
            RawClient.Response r = client.read();
            assertThat(r.status()).isEqualTo(408);
            assertThat(client.closedByPeer()).isTrue();
        }
        assertThat(upstream.connections.get()).isZero();
    }

    @Test
    void idleKeepAliveConnectionIsClosed() throws Exception {
        int port = start(HttpLimits.builder().idleTimeout(Duration.ofMillis(300)).build(), upstream.address());
        try (RawClient client = new RawClient(port)) {
            assertThat(client.send("GET / HTTP/1.1\r\n" + H + "\r\n").read().status()).isEqualTo(200);
            long start = System.nanoTime();
            assertThat(client.closedByPeer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void everyRequestRestartsTheIdleTimeout() throws Exception {
        int port = start(HttpLimits.builder().idleTimeout(Duration.ofMillis(1000)).build(), upstream.address());
        try (RawClient client = new RawClient(port)) {
            for (int i = 0; i < 5; i++) {   // 2.5 s in all, more than two idle timeouts
                assertThat(client.send("GET /n" + i + " HTTP/1.1\r\n" + H + "\r\n").read().status()).isEqualTo(200);
                Thread.sleep(500);
            }
        }
        assertThat(upstream.received).hasSize(5);
        assertThat(upstream.connections.get()).isEqualTo(1);
    }

    @Test
    void anUpstreamThatSaysConnectionCloseIsNotReused() throws Exception {
        int port = start();
        try (RawClient client = new RawClient(port)) {
            assertThat(client.send("GET /says-close HTTP/1.1\r\n" + H + "\r\n").read().status()).isEqualTo(200);
            assertThat(client.send("GET /next HTTP/1.1\r\n" + H + "\r\n").read().status()).isEqualTo(200);
        }
        assertThat(upstream.connections.get()).as("a new upstream connection for the second request").isEqualTo(2);
    }

    @Test
    void drainingStopsAcceptingAndClosesKeepAliveConnectionsAtTheirNextResponse() throws Exception {
        int port = start();
        try (RawClient client = new RawClient(port)) {
            assertThat(client.send("GET /before HTTP/1.1\r\n" + H + "\r\n").read().status()).isEqualTo(200);
            CompletableFuture<Integer> cut = CompletableFuture.supplyAsync(() -> proxy.drain(Duration.ofSeconds(10)));
            while (accepts(port)) {
                Thread.sleep(10);
            }
            Thread.sleep(100);   // the drain event reaches the connection's event loop
            RawClient.Response last = client.send("GET /last HTTP/1.1\r\n" + H + "\r\n").read();
            assertThat(last.status()).isEqualTo(200);
            assertThat(last.header("connection")).isEqualTo("close");
            assertThat(client.closedByPeer()).isTrue();
            assertThat(cut.get(10, TimeUnit.SECONDS)).as("connections cut at the deadline").isZero();
        }
        assertThat(upstream.received).hasSize(2);
    }

    @Test
    void drainingClosesWhatIsStillOpenAtTheDeadlineAndCountsIt() throws Exception {
        int port = start();
        try (RawClient idle = new RawClient(port)) {
            assertThat(idle.send("GET /before HTTP/1.1\r\n" + H + "\r\n").read().status()).isEqualTo(200);
            assertThat(proxy.drain(Duration.ofMillis(300))).isEqualTo(1);
            assertThat(idle.closedByPeer()).isTrue();
        }
    }

    private static boolean accepts(int port) {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void connectionCloseIsHonouredAndTheUpstreamReopenedLazily() throws Exception {
        int port = start();
        try (RawClient client = new RawClient(port)) {
            RawClient.Response r = client.send("GET /x HTTP/1.1\r\n" + H + "Connection: close\r\n\r\n").read();
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(client.closedByPeer()).isTrue();
        }
        try (RawClient client = new RawClient(port)) {
            assertThat(client.send("HEAD /h HTTP/1.1\r\n" + H + "\r\n").readHead().status()).isEqualTo(200);
            assertThat(client.send("GET /y HTTP/1.1\r\n" + H + "\r\n").read().body()).isEqualTo("upstream saw GET /y body=");
        }
        assertThat(upstream.received.get(0).headers()).containsEntry("Connection", "close");
    }

    @Test
    void connectionDeniedAtL4IsClosedBeforeAnyRead() throws Exception {
        policy.set(new FakePolicy(2, L4Verdict.DENIED));
        int port = start();
        try (RawClient client = new RawClient(port)) {
            client.send("GET / HTTP/1.1\r\n" + H + "\r\n");
            assertThat(client.closedByPeer()).isTrue();
        }
        waitForEntries(1);
        assertThat(entries.get(0).verdict()).isEqualTo(AccessLogEntry.Verdict.DENIED);
        assertThat(upstream.connections.get()).isZero();
    }

    @Test
    void policyUpdateAppliesToTheNextRequestOnAnOpenConnection() throws Exception {
        int port = start();
        try (RawClient client = new RawClient(port)) {
            assertThat(client.send("GET / HTTP/1.1\r\n" + H + "\r\n").read().status()).isEqualTo(200);
            policy.set(new FakePolicy(2, L4Verdict.DENIED));
            assertThat(client.send("GET / HTTP/1.1\r\n" + H + "\r\n").read().status()).isEqualTo(403);
            policy.set(null);
            assertThat(client.send("GET / HTTP/1.1\r\n" + H + "\r\n").read().status()).isEqualTo(403);
        }
    }

    @Test
    void portInUseFailsWithAClearMessage() throws Exception {
        int port = start();
        ProxyServer second = ProxyServer.builder().eventLoopThreads(1).policy(policy::get).accessLog(entries::add)
                .listener(new InetSocketAddress("127.0.0.1", port), new StaticUpstreamResolver(upstream.address(),
                        ip -> Peer.world())).build();
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(second::start)
                    .isInstanceOf(java.net.BindException.class).hasMessageContaining("127.0.0.1:" + port);
        } finally {
            second.close();
        }
    }

    private static int readByte(RawClient client) throws java.io.IOException {
        try {
            java.lang.reflect.Field f = RawClient.class.getDeclaredField("in");
            f.setAccessible(true);
            return ((java.io.InputStream) f.get(client)).read();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private void waitForEntries(int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (entries.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(entries).hasSizeGreaterThanOrEqualTo(n);
    }
}
