package io.portcullis.tests.steering;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.tests.support.AccessLogFile;
import io.portcullis.tests.support.NodeCleanup;
import io.portcullis.tests.support.Privileges;
import io.portcullis.tests.support.ProcessRunner;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unmodified curl in endpoint client-a (and client-b) connects to the server endpoint's real
 * address; connect4 steers what has L7 rules into the proxy, which forwards to the original
 * destination. Neither side is configured for it.
 */
class TransparentSteeringTest {
    @TempDir
    static Path dir;
    static SteeringNode node;
    static JsonNode clientA;
    static JsonNode clientB;
    static JsonNode server;
    static SteeringNode.HttpServerProcess web;
    static SteeringNode.HttpServerProcess plain;

    @BeforeAll
    static void start() throws Exception {
        Privileges.requireRoot("endpoints are namespaces and cgroups; steering is BPF");
        node = new SteeringNode(dir, "10.230.0.0/24", false);
        server = node.endpoint("server", "app=server");
        clientA = node.endpoint("client-a", "role=client-a");
        clientB = node.endpoint("client-b", "role=client-b");
        web = node.httpServer(server, 8080);
        plain = node.httpServer(server, 9090);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (node != null) {
            node.close();
            NodeCleanup.assertNothingLeftBehind("10.230.0.0/24");
        }
    }

    private static String url(int port, String path) {
        return "http://" + server.path("ip").asText() + ":" + port + path;
    }

    @Test
    void allowedRequestReachesTheServerThroughTheProxy() throws Exception {
        ProcessRunner.Result curl = node.curl("client-a", url(8080, "/public/hello"));
        assertThat(curl.stdout()).as(curl.stderr()).isEqualTo("200");

        JsonNode record = node.accessLog.await(AccessLogFile.request("request", "/public/hello"));
        assertThat(record.path("verdict").asText()).isEqualTo("forwarded");
        assertThat(record.path("source").path("endpoint").asText()).isEqualTo("client-a");
        // The server saw the proxy (the pool's host address), not the client.
        assertThat(web.requests()).contains("10.230.0.1 - - ").contains("GET /public/hello");
    }

    @Test
    void deniedRequestGets403AndAnAccessLogLineNamingClientAsIdentity() throws Exception {
        ProcessRunner.Result curl = node.curl("client-a", url(8080, "/private/secret"));
        assertThat(curl.stdout()).as(curl.stderr()).isEqualTo("403");

        JsonNode record = node.accessLog.await(r -> AccessLogFile.request("request", "/private/secret").test(r)
                && "client-a".equals(r.path("source").path("endpoint").asText()));
        assertThat(record.path("verdict").asText()).isEqualTo("denied");
        assertThat(record.path("source").path("identity").asInt()).isEqualTo(clientA.path("identity").asInt());
        assertThat(record.path("source").path("ip").asText()).isEqualTo(clientA.path("ip").asText());
        assertThat(record.path("destination").path("endpoint").asText()).isEqualTo("server");
        assertThat(record.path("destination").path("port").asInt()).isEqualTo(8080);
        assertThat(record.path("policy").asText()).isEqualTo("default/server-ingress");
    }

    @Test
    void theSameRequestFromClientBGetsTheVerdictItsOwnLabelsEarn() throws Exception {
        ProcessRunner.Result curl = node.curl("client-b", url(8080, "/private/secret"));
        assertThat(curl.stdout()).as(curl.stderr()).isEqualTo("200");

        JsonNode record = node.accessLog.await(r -> AccessLogFile.request("request", "/private/secret").test(r)
                && "client-b".equals(r.path("source").path("endpoint").asText()));
        assertThat(record.path("verdict").asText()).isEqualTo("forwarded");
        assertThat(record.path("source").path("identity").asInt()).isEqualTo(clientB.path("identity").asInt());
    }

    @Test
    void aPortWithoutL7RulesIsNotSteered() throws Exception {
        int before = node.accessLog.records().size();
        ProcessRunner.Result curl = node.curl("client-a", url(9090, "/public/hello"));
        assertThat(curl.stdout()).as(curl.stderr()).isEqualTo("200");

        assertThat(plain.requests()).as("the server saw the client's own address")
                .contains(clientA.path("ip").asText() + " - - ").doesNotContain("10.230.0.1 - - ");
        Thread.sleep(300);
        assertThat(node.accessLog.records()).as("the proxy saw nothing").hasSize(before);
    }

    @Test
    void aPortThePolicyDeniesFailsAtConnect() throws Exception {
        ProcessRunner.Result curl = node.curl("client-a", url(7070, "/"));
        assertThat(curl.exitCode()).as("curl: couldn't connect").isEqualTo(7);
        // curl does not print errno; bash's /dev/tcp does.
        assertThat(connect("client-a", 7070).stderr()).contains("Operation not permitted");
        // client-b has no plain rule on 9090: denied at connect too, while client-a connects.
        assertThat(connect("client-b", 9090).stderr()).contains("Operation not permitted");
        assertThat(connect("client-a", 9090).exitCode()).isZero();
    }

    private static ProcessRunner.Result connect(String endpoint, int port) throws Exception {
        return node.exec(endpoint, "bash", "-c", "exec 3<>/dev/tcp/" + server.path("ip").asText() + "/" + port);
    }
}
