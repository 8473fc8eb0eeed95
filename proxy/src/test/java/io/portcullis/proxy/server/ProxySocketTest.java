package io.portcullis.proxy.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.policy.resolve.L4Verdict;
import io.portcullis.proxy.accesslog.AccessLogEntry;
import io.portcullis.proxy.context.Peer;
import io.portcullis.proxy.context.StaticUpstreamResolver;
import io.portcullis.proxy.testing.FakePolicy;
import io.portcullis.proxy.testing.RawClient;
import io.portcullis.proxy.testing.TestUpstream;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP/1.1 proxy on loopback forwards what the policy allows (bodies, pipelining, header
 * actions, normalised targets), answers what it denies, and judges by the policy current at
 * each request.
 */
class ProxySocketTest extends ProxyOnLoopback {
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
    void aRequestDeniedInAuditModeIsForwardedAndLoggedAsAuditWithTheRuleThatWouldDeny() throws Exception {
        int port = start();
        try (RawClient client = new RawClient(port)) {
            RawClient.Response r = client.send("GET /audit/x HTTP/1.1\r\n" + H + "\r\n").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("upstream saw GET /audit/x body=");
        }
        assertThat(upstream.received).hasSize(1);
        waitForEntries(2);
        ObjectMapper json = new ObjectMapper();
        JsonNode request = json.readTree(entries.get(0).toJson());
        assertThat(request.get("verdict").asText()).isEqualTo("audit");
        assertThat(request.get("policy").asText()).isEqualTo("deny-policy");
        assertThat(request.get("reason").asText()).startsWith("audit: no rule matched");
        JsonNode response = json.readTree(entries.get(1).toJson());
        assertThat(response.get("verdict").asText()).isEqualTo("forwarded");
        assertThat(response.at("/http/code").asInt()).isEqualTo(200);
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
}
