package io.portcullis.tests.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.portcullis.agent.Agent;
import io.portcullis.config.AgentConfigLoader;
import io.portcullis.tests.support.Cli;
import io.portcullis.tests.support.NodeCleanup;
import io.portcullis.tests.support.Privileges;
import io.portcullis.tests.support.ProcessRunner;
import io.portcullis.tests.support.PrometheusServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's Prometheus scrapes the agent and the supervised proxy process on loopback while known
 * traffic passes: HTTP requests through the proxy (127.0.0.1 is the frontend, 127.0.0.2 the API
 * backend) and packets from a blocked prefix of a "world" namespace (198.18.64.0/18, blackholed
 * on the host) that the XDP prefilter on the veth uplink drops. PromQL over Prometheus' HTTP API
 * must give the counts, promtool must accept both pages, and every expression of the Grafana
 * dashboard must parse and return series.
 */
class MetricsEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BLOCKED_SOURCE = "198.18.65.10";
    private static final Path DASHBOARD = Path.of("..", "config", "examples", "grafana", "portcullis.json");
    private static final int ALLOWED = 3;
    private static final int DENIED = 2;

    @TempDir
    static Path dir;
    static WorldNetns world;
    static HttpServer backend;
    static Path config;
    static Path policyFile;
    static Agent agent;
    static Cli cli;
    static PrometheusServer prometheus;
    static int agentPort;
    static int proxyPort;

    @BeforeAll
    static void start() throws Exception {
        Privileges.requireRoot("XDP on a veth uplink, whose drops the agent's metrics report");
        world = new WorldNetns("198.18.64.0/18", "198.18.127.1", BLOCKED_SOURCE);
        backend = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 16);
        backend.createContext("/", exchange -> {
            byte[] body = "hello from api".getBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        backend.start();
        Path policies = Files.createDirectories(dir.resolve("policies"));
        policyFile = Files.writeString(policies.resolve("api.yaml"), policy("/public/.*"));
        agentPort = PrometheusServer.freePort();
        proxyPort = PrometheusServer.freePort();
        config = Files.writeString(dir.resolve("agent.yaml"), """
                policyDir: policies
                accessLog: off
                apiSocket: run/agent.sock
                stateDir: state
                uplink: %s
                endpoints:
                  - {name: frontend, labels: {role: frontend}, ips: [127.0.0.1]}
                  - {name: api, labels: {app: api}, ips: [127.0.0.2]}
                listeners: [{port: 0, upstream: "127.0.0.2:%d"}]
                metrics: {listen: "127.0.0.1:%d", proxyListen: "127.0.0.1:%d"}
                """.formatted(world.uplink, backend.getAddress().getPort(), agentPort, proxyPort));
        agent = Agent.start(AgentConfigLoader.load(config));
        cli = new Cli(dir.resolve("run/agent.sock"));
        prometheus = PrometheusServer.start(dir, Map.of("agent", "127.0.0.1:" + agentPort,
                "proxy", "127.0.0.1:" + proxyPort));
        sendKnownTraffic();
    }

    static String policy(String path) {
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
                        - ports: [{port: "%d", protocol: TCP}]
                          rules:
                            http: [{method: GET, path: "%s"}]
                """.formatted(backend.getAddress().getPort(), path);
    }

    private static void sendKnownTraffic() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        InetSocketAddress proxy = agent.listenAddresses().get(0);
        for (int i = 0; i < ALLOWED + DENIED; i++) {
            String path = i < ALLOWED ? "/public/item" + i : "/private/key" + i;
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + proxy.getPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isEqualTo(i < ALLOWED ? 200 : 403);
        }
        Cli.Result add = cli.run("prefilter", "add", "198.18.65.0/28", "198.18.66.7");
        assertThat(add.exit()).as(add.err()).isZero();
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
        if (agent != null) {
            agent.close();
        }
        if (config != null) {
            NodeCleanup.uninstall(config);
        }
        if (backend != null) {
            backend.stop(0);
        }
        if (world != null) {
            world.close();
        }
    }

    @Test
    void theProxysCountsOfKnownTrafficReachPrometheus() throws Exception {
        prometheus.await("up{job=\"proxy\"}", v -> v == 1, "the proxy is scraped");
        prometheus.await("sum(portcullis_policy_l7_total{job=\"proxy\",rule=\"received\",proxy_type=\"http\"})",
                v -> v == ALLOWED + DENIED, "received");
        assertThat(prometheus.value("sum(portcullis_policy_l7_total{rule=\"forwarded\"})")).isEqualTo(ALLOWED);
        assertThat(prometheus.value("sum(portcullis_policy_l7_total{rule=\"denied\"})")).isEqualTo(DENIED);
        assertThat(prometheus.value("sum(portcullis_policy_verdicts_total{direction=\"ingress\",match=\"l7/http\","
                + "action=\"allowed\"})")).isEqualTo(ALLOWED);
        assertThat(prometheus.value("sum(portcullis_policy_verdicts_total{action=\"denied\"})")).isEqualTo(DENIED);
        assertThat(prometheus.value("sum(portcullis_http_requests_total{method=\"GET\",protocol=\"HTTP/1.1\","
                + "status=\"200\"})")).isEqualTo(ALLOWED);
        assertThat(prometheus.value("sum(portcullis_http_requests_total{status=\"403\"})")).isEqualTo(DENIED);
        assertThat(prometheus.value("sum(portcullis_http_request_duration_seconds_count)")).isEqualTo(ALLOWED + DENIED);
        assertThat(prometheus.value("sum(portcullis_proxy_upstream_reply_seconds_count{proxy_type=\"http\"})"))
                .isEqualTo(ALLOWED);
        assertThat(prometheus.value("count(jvm_memory_used_bytes{job=\"proxy\"})")).isPositive();
    }

    @Test
    void theAgentsDatapathCountsMatchTheKernel() throws Exception {
        prometheus.await("up{job=\"agent\"}", v -> v == 1, "the agent is scraped");
        String prefilterDrops = "portcullis_drop_count_total{reason=\"prefilter\",direction=\"INGRESS\"}";
        // The pinned counters outlive agents: what this test adds is the difference.
        double before = prometheus.await(prefilterDrops, v -> v >= 0, "the drop counters are scraped");
        String url = "http://" + world.hostAddress() + ":" + backend.getAddress().getPort() + "/";

        assertThat(world.curlFrom(BLOCKED_SOURCE, url)).as("dropped by the prefilter").isEqualTo("000");

        long dropped = prefixDrops("198.18.65.0/28");
        assertThat(dropped).as("SYNs from the blocked source, as prefilter list counts them").isPositive();
        prometheus.await(prefilterDrops, v -> v == before + dropped, "prefilter drops");
        prometheus.await("portcullis_prefilter_drop_count_total{prefix=\"198.18.65.0/28\"}", v -> v == dropped,
                "drops of the blocked prefix");
        assertThat(prometheus.value("portcullis_prefilter_drop_count_total{prefix=\"198.18.66.7/32\"}")).isZero();
        assertThat(prometheus.value("count(portcullis_drop_count_total{direction=\"EGRESS\"})"))
                .as("every reason in both directions").isEqualTo(8);
        assertThat(prometheus.value("count(portcullis_forward_count_total)")).as("both directions").isEqualTo(2);
        for (String map : List.of("portcullis_prefilter_hash_v1", "portcullis_prefilter_lpm_v1")) {
            assertThat(prometheus.value("portcullis_bpf_map_pressure{map_name=\"" + map + "\"}")).as(map)
                    .isEqualTo(1.0 / maxEntries(map));
        }
        assertThat(prometheus.value("portcullis_endpoint")).isEqualTo(2);
        assertThat(prometheus.value("portcullis_identity")).isGreaterThanOrEqualTo(2);
        assertThat(prometheus.value("portcullis_policy")).isEqualTo(1);
        assertThat(prometheus.value("count(jvm_threads_current{job=\"agent\"})")).isEqualTo(1);
    }

    @Test
    void aPolicyChangeMovesTheRevisionAndItsApplyDelayIsObserved() throws Exception {
        double revision = prometheus.await("portcullis_policy_revision", v -> v > 0, "a revision in force");
        double applied = prometheus.await("portcullis_policy_implementation_delay_seconds_count", v -> v >= 1,
                "the first revision's delay");

        Files.writeString(policyFile, policy("/public/v2/.*"));

        prometheus.await("portcullis_policy_revision", v -> v > revision, "the new revision");
        prometheus.await("portcullis_policy_implementation_delay_seconds_count", v -> v > applied,
                "the new revision's delay");
        assertThat(prometheus.value("portcullis_policy_implementation_delay_seconds_sum")).isPositive();
    }

    @Test
    void promtoolAcceptsBothPagesInTheTextFormat() throws Exception {
        for (int port : List.of(agentPort, proxyPort)) {
            Path page = dir.resolve("page-" + port + ".txt");
            ProcessRunner.Result scrape = ProcessRunner.run(List.of("curl", "-sS", "-o", page.toString(),
                    "http://127.0.0.1:" + port + "/metrics"));
            assertThat(scrape.exitCode()).as(scrape.stderr()).isZero();
            assertThat(Files.readString(page)).contains("portcullis_").contains("jvm_");
            ProcessRunner.Result check = ProcessRunner.run(List.of("sh", "-c", "promtool check metrics < " + page));
            assertThat(check.exitCode()).as("promtool on port " + port + ": " + check.stdout() + check.stderr())
                    .isZero();
        }
    }

    @Test
    void everyDashboardExpressionParsesAndReturnsSeries() throws Exception {
        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : JSON.readTree(DASHBOARD.toFile()).path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                expressions.add(target.path("expr").asText());
            }
        }
        assertThat(expressions).hasSizeGreaterThan(10);
        for (String expression : expressions) {
            String query = expression.replace("$__rate_interval", "1m");
            assertThat(prometheus.awaitSeries(query)).as(query).isPositive();
        }
    }

    private static long prefixDrops(String cidr) throws IOException {
        for (JsonNode row : JSON.readTree(cli.run("prefilter", "list", "-o", "json").out())) {
            if (row.path("cidr").asText().equals(cidr)) {
                return row.path("drops").asLong();
            }
        }
        throw new AssertionError(cidr + " is not in the prefilter");
    }

    private static long maxEntries(String map) throws Exception {
        ProcessRunner.Result shown = ProcessRunner.run(List.of("bpftool", "-j", "map", "show", "pinned",
                "/sys/fs/bpf/portcullis/" + map));
        assertThat(shown.exitCode()).as(shown.stderr()).isZero();
        return JSON.readTree(shown.stdout()).path("max_entries").asLong();
    }
}
