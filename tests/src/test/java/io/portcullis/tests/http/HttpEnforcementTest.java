package io.portcullis.tests.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.portcullis.agent.Agent;
import io.portcullis.config.AgentConfig;
import io.portcullis.config.AgentConfigLoader;
import io.portcullis.proxy.testing.RawClient;
import io.portcullis.tests.support.AccessLogFile;
import io.portcullis.tests.support.ProcessRunner;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The agent in {@code datapath: none} mode in front of a WireMock backend, driven by the JDK HTTP
 * client, curl and raw sockets. Loopback source addresses stand for workloads: 127.0.0.1 and
 * 127.0.0.3 are the frontend, 127.0.0.4 the admin, 127.0.0.2 the API backend, and 127.0.0.5 is
 * nobody (world).
 */
class HttpEnforcementTest {
    private static final String FRONTEND = "127.0.0.3";
    private static final String ADMIN = "127.0.0.4";
    private static final String STRANGER = "127.0.0.5";
    private static final String DENIED_BODY = "Access denied\r\n";

    @TempDir
    static Path dir;
    static WireMockServer backend;
    static Agent agent;
    static InetSocketAddress proxy;
    static InetSocketAddress proxyToNowhere;
    static AccessLogFile accessLog;
    static Path policyFile;
    static int apiPort;
    static int deadPort;

    @BeforeAll
    static void start() throws IOException {
        backend = new WireMockServer(options().bindAddress("127.0.0.2").dynamicPort());
        backend.start();
        backend.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("hello from api")));
        apiPort = backend.port();
        try (ServerSocket unused = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.2"))) {
            deadPort = unused.getLocalPort();
        }
        Path policies = Files.createDirectories(dir.resolve("policies"));
        policyFile = policies.resolve("api.yaml");
        Files.writeString(policyFile, policy("GET", "/public/.*"));
        Path config = Files.writeString(dir.resolve("agent.yaml"), """
                datapath: none
                policyDir: policies
                accessLog: access.log
                workerThreads: 1
                endpoints:
                  - {name: frontend, labels: {role: frontend}, ips: [127.0.0.1, 127.0.0.3]}
                  - {name: admin, labels: {role: admin}, ips: [127.0.0.4]}
                  - {name: api, labels: {app: api}, ips: [127.0.0.2]}
                listeners:
                  - {port: 0, upstream: "127.0.0.2:%d"}
                  - {port: 0, upstream: "127.0.0.2:%d"}
                http:
                  headerTimeout: 1s
                  maxRequestLineBytes: 1024
                  maxHeaderBytes: 4096
                """.formatted(apiPort, deadPort));
        AgentConfig loaded = AgentConfigLoader.load(config);
        agent = Agent.start(loaded);
        proxy = agent.listenAddresses().get(0);
        proxyToNowhere = agent.listenAddresses().get(1);
        accessLog = new AccessLogFile(dir.resolve("access.log"));
    }

    static String policy(String frontendMethod, String frontendPath) {
        return """
                apiVersion: cilium.io/v2
                kind: CiliumNetworkPolicy
                metadata:
                  name: api-ingress
                spec:
                  endpointSelector:
                    matchLabels: {app: api}
                  ingress:
                    - fromEndpoints:
                        - matchLabels: {role: frontend}
                      toPorts:
                        - ports: [{port: "%1$d", protocol: TCP}, {port: "%2$d", protocol: TCP}]
                          rules:
                            http:
                              - method: %3$s
                                path: "%4$s"
                              - method: POST
                                path: /orders
                                headers: ["X-Tenant: blue"]
                    - fromEndpoints:
                        - matchLabels: {role: admin}
                      toPorts:
                        - ports: [{port: "%1$d", protocol: TCP}]
                          rules:
                            http: [{}]
                """.formatted(apiPort, deadPort, frontendMethod, frontendPath);
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
        if (backend != null) {
            backend.stop();
        }
    }

    @BeforeEach
    void resetBackend() {
        backend.resetRequests();
    }

    private static HttpResponse<String> jdkGet(String path) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.getPort() + path)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static ProcessRunner.Result curl(String source, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("curl", "-sS", "--max-time", "10",
                "--interface", source, "-o", "/dev/stdout", "-w", "\n%{http_code}"));
        command.addAll(List.of(args));
        return ProcessRunner.run(command);
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + proxy.getPort() + path;
    }

    @Test
    void allowedRequestReachesTheBackendAndIsLogged() throws Exception {
        HttpResponse<String> response = jdkGet("/public/items");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("hello from api");
        backend.verify(1, anyRequestedFor(urlEqualTo("/public/items")));
        JsonNode request = accessLog.await(AccessLogFile.request("request", "/public/items"));
        assertThat(request.path("verdict").asText()).isEqualTo("forwarded");
        assertThat(request.path("l7Protocol").asText()).isEqualTo("http");
        assertThat(request.path("policy").asText()).isEqualTo("default/api-ingress");
        assertThat(request.path("observationPoint").asText()).isEqualTo("ingress");
        assertThat(request.path("source").path("endpoint").asText()).isEqualTo("frontend");
        assertThat(request.path("source").path("labels").path("k8s:role").asText()).isEqualTo("frontend");
        assertThat(request.path("source").path("identity").asInt()).isGreaterThanOrEqualTo(256);
        assertThat(request.path("destination").path("labels").path("k8s:app").asText()).isEqualTo("api");
        assertThat(request.path("destination").path("port").asInt()).isEqualTo(apiPort);
        assertThat(request.path("http").path("method").asText()).isEqualTo("GET");
        JsonNode response2 = accessLog.await(AccessLogFile.request("response", "/public/items"));
        assertThat(response2.path("http").path("code").asInt()).isEqualTo(200);
        assertThat(response2.path("latencyNs").asLong()).isPositive();
    }

    @Test
    void deniedRequestGets403AndNeverReachesTheBackend() throws Exception {
        HttpResponse<String> response = jdkGet("/private/keys");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).isEqualTo(DENIED_BODY);
        assertThat(response.headers().firstValue("content-length")).contains("15");
        backend.verify(0, anyRequestedFor(anyUrl()));
        JsonNode record = accessLog.await(AccessLogFile.request("request", "/private/keys"));
        assertThat(record.path("verdict").asText()).isEqualTo("denied");
        assertThat(record.path("source").path("endpoint").asText()).isEqualTo("frontend");
        assertThat(record.path("observationPoint").asText()).isEqualTo("ingress");
    }

    @Test
    void eachIdentityGetsTheVerdictItsLabelsEarn() throws Exception {
        ProcessRunner.Result frontend = curl(FRONTEND, url("/admin/panel"));
        ProcessRunner.Result admin = curl(ADMIN, url("/admin/panel"));

        assertThat(frontend.stdout()).isEqualTo(DENIED_BODY + "\n403");
        assertThat(admin.stdout()).isEqualTo("hello from api\n200");
        backend.verify(1, anyRequestedFor(urlEqualTo("/admin/panel")));
        JsonNode adminRecord = accessLog.await(r -> "request".equals(r.path("type").asText())
                && "admin".equals(r.path("source").path("endpoint").asText()));
        assertThat(adminRecord.path("source").path("ip").asText()).isEqualTo(ADMIN);
    }

    @Test
    void headerRuleNeedsTheHeaderValue() throws Exception {
        ProcessRunner.Result blue = curl(FRONTEND, "-X", "POST", "-H", "X-Tenant: blue", "-d", "{}", url("/orders"));
        ProcessRunner.Result red = curl(FRONTEND, "-X", "POST", "-H", "X-Tenant: red", "-d", "{}", url("/orders"));
        ProcessRunner.Result none = curl(FRONTEND, "-X", "POST", "-d", "{}", url("/orders"));

        assertThat(blue.stdout()).endsWith("\n200");
        assertThat(red.stdout()).endsWith("\n403");
        assertThat(none.stdout()).endsWith("\n403");
        backend.verify(1, anyRequestedFor(urlEqualTo("/orders")));
    }

    @Test
    void connectionStaysUsableAfterADeny() throws Exception {
        try (RawClient client = new RawClient(FRONTEND, proxy)) {
            client.send("GET /private HTTP/1.1\r\nHost: api\r\n\r\n");
            RawClient.Response denied = client.read();
            client.send("GET /public/after-deny HTTP/1.1\r\nHost: api\r\n\r\n");
            RawClient.Response allowed = client.read();

            assertThat(denied.status()).isEqualTo(403);
            assertThat(denied.body()).isEqualTo(DENIED_BODY);
            assertThat(allowed.status()).isEqualTo(200);
            assertThat(allowed.body()).isEqualTo("hello from api");
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (RawClient client = new RawClient(FRONTEND, proxy)) {
            client.send("GET /public/1 HTTP/1.1\r\nHost: api\r\n\r\n"
                    + "GET /private/2 HTTP/1.1\r\nHost: api\r\n\r\n"
                    + "GET /public/3 HTTP/1.1\r\nHost: api\r\n\r\n");

            assertThat(client.read().status()).isEqualTo(200);
            assertThat(client.read().status()).isEqualTo(403);
            assertThat(client.read().status()).isEqualTo(200);
        }
        backend.verify(1, anyRequestedFor(urlEqualTo("/public/1")));
        backend.verify(0, anyRequestedFor(urlEqualTo("/private/2")));
        backend.verify(1, anyRequestedFor(urlEqualTo("/public/3")));
    }

    @Test
    void aSourceWithoutIdentityRulesIsRefused() throws Exception {
        ProcessRunner.Result stranger = curl(STRANGER, url("/public/items"));

        assertThat(stranger.exitCode()).isNotZero();
        backend.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void pathIsNormalisedBeforeMatchingAndForwarding() throws Exception {
        try (RawClient client = new RawClient(FRONTEND, proxy)) {
            client.send("GET /public/./a//b/%2e%2e/c?q=1 HTTP/1.1\r\nHost: api\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(200);
            client.send("GET /public/../private HTTP/1.1\r\nHost: api\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(403);
            client.send("GET /public/%2e%2e/private HTTP/1.1\r\nHost: api\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(403);
        }
        backend.verify(1, anyRequestedFor(urlEqualTo("/public/a/c?q=1")));
        backend.verify(0, anyRequestedFor(urlEqualTo("/private")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            Content-Length with Transfer-Encoding | 400 | POST /public/x HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 5\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n
            duplicate Content-Length               | 400 | POST /public/x HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 1\\r\\nContent-Length: 1\\r\\n\\r\\nx
            malformed Content-Length               | 400 | POST /public/x HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 1x\\r\\n\\r\\nx
            Transfer-Encoding other than chunked   | 400 | POST /public/x HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: gzip, chunked\\r\\n\\r\\n0\\r\\n\\r\\n
            obs-fold                               | 400 | GET /public/x HTTP/1.1\\r\\nHost: a\\r\\nX-Long: one\\r\\n two\\r\\n\\r\\n
            bare LF                                | 400 | GET /public/x HTTP/1.1\\nHost: a\\n\\n
            invalid header name                    | 400 | GET /public/x HTTP/1.1\\r\\nHost: a\\r\\nBad Header: x\\r\\n\\r\\n
            encoded slash                          | 400 | GET /public/a%2Fb HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n
            encoded backslash                      | 400 | GET /public/a%5cb HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n
            oversized request line                 | 414 | GET /public/LONG HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n
            oversized headers                      | 431 | GET /public/x HTTP/1.1\\r\\nHost: a\\r\\nX-Big: BIG\\r\\n\\r\\n
            """)
    void badInputIsRejectedAndNeverForwarded(String name, int status, String raw) throws Exception {
        String request = raw.replace("\\r", "\r").replace("\\n", "\n")
                .replace("LONG", "a".repeat(2000)).replace("BIG", "b".repeat(8000));
        try (RawClient client = new RawClient(FRONTEND, proxy)) {
            RawClient.Response response = client.send(request).read();

            assertThat(response.status()).as(name).isEqualTo(status);
            assertThat(client.closedByPeer()).as("connection closed after " + name).isTrue();
        }
        backend.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void slowHeadersGet408() throws Exception {
        try (RawClient client = new RawClient(FRONTEND, proxy)) {
            client.send("GET /public/slow HTTP/1.1\r\nHost: a\r\n");
            RawClient.Response response = client.read();

            assertThat(response.status()).isEqualTo(408);
            assertThat(client.closedByPeer()).isTrue();
        }
        backend.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void unreachableUpstreamGets503AndALogRecord() throws Exception {
        try (RawClient client = new RawClient(FRONTEND, proxyToNowhere)) {
            RawClient.Response response = client.send("GET /public/nowhere HTTP/1.1\r\nHost: a\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(503);
        }
        JsonNode record = accessLog.await(r -> "/public/nowhere".equals(r.path("http").path("url").asText())
                && "error".equals(r.path("verdict").asText()));
        assertThat(record.path("destination").path("port").asInt()).isEqualTo(deadPort);
    }

    @Test
    void policyChangesApplyToLiveConnectionsAndBrokenFilesKeepTheLastGoodVersion() throws Exception {
        try (RawClient client = new RawClient(FRONTEND, proxy)) {
            client.send("GET /reports/1 HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(403);

            Files.writeString(policyFile, policy("GET", "/(public|reports)/.*"));
            awaitStatus(client, "/reports/1", 200);

            Files.writeString(policyFile, policy("GET", "/(unclosed"));
            awaitErrorNaming(policyFile);
            client.send("GET /reports/2 HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(client.read().status()).as("last good version stays in force").isEqualTo(200);
        } finally {
            Files.writeString(policyFile, policy("GET", "/public/.*"));
            awaitErrorsCleared();
        }
    }

    /** The agent promises to apply a policy change within a second of the file being written. */
    private static void awaitStatus(RawClient client, String path, int status) throws Exception {
        long start = System.nanoTime();
        int last;
        do {
            client.send("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n");
            last = client.read().status();
            if (last == status) {
                return;
            }
            Thread.sleep(20);
        } while (System.nanoTime() - start < 1_000_000_000L);
        throw new AssertionError("policy change not applied within 1 s: still " + last);
    }

    private static void awaitErrorNaming(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (agent.policyErrors().stream().anyMatch(e -> e.contains(file.toString()) && e.contains("path"))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no policy error reported for " + file + ": " + agent.policyErrors());
    }

    private static void awaitErrorsCleared() throws InterruptedException {
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < deadline && !agent.policyErrors().isEmpty()) {
            Thread.sleep(50);
        }
        assertThat(agent.policyErrors()).isEmpty();
    }
}
