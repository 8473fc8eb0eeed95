package io.portcullis.tests.steering;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.agent.sidecar.DatapathMaps;
import io.portcullis.bpf.BpfFs;
import io.portcullis.tests.support.Cli;
import io.portcullis.tests.support.NodeCleanup;
import io.portcullis.tests.support.PrometheusServer;
import io.portcullis.tests.support.Privileges;
import io.portcullis.tests.support.ProcessRunner;
import io.portcullis.workloads.grpc.GreeterClientMain;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Audit mode end to end with {@code datapath: bpf}: unmodified clients in endpoint au-client call
 * the au-server endpoint's HTTP server, grpc-java greeter and KRaft broker (L7, steered to the
 * proxy) and a plain port no rule allows (L3/L4, judged by the kernel). With the server endpoint in
 * audit mode ({@code endpoint config au-server audit=on}), with the policy annotated
 * {@code portcullis.io/audit: "true"} and with the node in audit mode ({@code policyAuditMode}),
 * what the policy denies goes through, logged as {@code audit} with the rule that would deny it
 * and counted; once audit is off again it is denied again.
 */
class AuditModeEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POOL = "10.243.0.0/24";
    private static final int HTTP_PORT = 8080;
    private static final int PLAIN_PORT = 9090;
    private static final int GRPC_PORT = 50051;
    private static final int KAFKA_PORT = 9092;
    private static final String POLICY_NAME = "default/au-server-ingress";
    /** au-client may GET /public/* on 8080, call SayHello, produce and consume "orders"; nothing else. */
    private static final String POLICY = """
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata:
              name: au-server-ingress
            %sspec:
              endpointSelector: {matchLabels: {app: au-server}}
              ingress:
                - fromEndpoints: [{matchLabels: {role: au-client}}]
                  toPorts:
                    - ports: [{port: "%d", protocol: TCP}]
                      rules: {http: [{method: GET, path: "/public/.*"}]}
                    - ports: [{port: "%d", protocol: TCP}]
                      rules: {grpc: [{service: helloworld.Greeter, method: SayHello}]}
                    - ports: [{port: "%d", protocol: TCP}]
                      rules: {kafka: [{role: produce, topic: orders}, {role: consume, topic: orders}]}
            """;
    private static final String AUDIT_ANNOTATION = "  annotations: {portcullis.io/audit: \"true\"}\n";

    @TempDir
    static Path dir;
    static SteeringNode node;
    static JsonNode server;
    static String metricsConfig;
    static int proxyMetricsPort;
    private final HttpClient http = HttpClient.newHttpClient();

    private static String policy(String metadata) {
        return POLICY.formatted(metadata, HTTP_PORT, GRPC_PORT, KAFKA_PORT);
    }

    @BeforeAll
    static void start() throws Exception {
        Privileges.requireRoot("endpoints are namespaces and cgroups; steering and L3/L4 are BPF");
        proxyMetricsPort = PrometheusServer.freePort();
        metricsConfig = "metrics: {proxyListen: \"127.0.0.1:" + proxyMetricsPort + "\"}\n";
        node = new SteeringNode(dir, POOL, false, policy(""), metricsConfig);
        server = node.endpoint("au-server", "app=au-server");
        node.endpoint("au-client", "role=au-client");
        node.httpServer(server, HTTP_PORT);
        node.httpServer(server, PLAIN_PORT);
        node.greeterAndBroker(server, GRPC_PORT, KAFKA_PORT);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (node != null) {
            node.close();
            NodeCleanup.assertNothingLeftBehind(POOL);
        }
    }

    // ------------------------------------------------------------------ the four cases

    private static ProcessRunner.Result curl(String path) throws Exception {
        return node.curl("au-client", "http://" + server.path("ip").asText() + ":" + HTTP_PORT + path);
    }

    private static ProcessRunner.Result grpcGoodbye(String name) throws Exception {
        return node.exec("au-client", SteeringNode.java(), "-cp", System.getProperty("java.class.path"),
                GreeterClientMain.class.getName(), server.path("ip").asText(), String.valueOf(GRPC_PORT), "SayGoodbye",
                name);
    }

    private static ProcessRunner.Result produceToPayments(String clientId) throws Exception {
        return node.exec("au-client", "sh", "-c", "kcat -b " + server.path("ip").asText() + ":" + KAFKA_PORT
                + " -X client.id=" + clientId + " -X socket.timeout.ms=5000 -X message.timeout.ms=5000"
                + " -P -t payments <<EOF\n" + clientId + "\nEOF");
    }

    /** A TCP connect to the plain port, which no rule allows: bash's /dev/tcp prints the errno. */
    private static ProcessRunner.Result connectPlainPort() throws Exception {
        return node.exec("au-client", "bash", "-c", "exec 3<>/dev/tcp/" + server.path("ip").asText() + "/"
                + PLAIN_PORT);
    }

    /** The request record with {@code verdict} that {@code which} picks, among those after the first {@code since}. */
    private static JsonNode record(int since, String verdict, Predicate<JsonNode> which) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<JsonNode> records = node.accessLog.records();
            for (JsonNode r : records.subList(Math.min(since, records.size()), records.size())) {
                if ("request".equals(r.path("type").asText()) && verdict.equals(r.path("verdict").asText())
                        && which.test(r)) {
                    return r;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + verdict + " request record after record " + since + ": "
                + node.accessLog.records());
    }

    private static int logged() {
        return node.accessLog.records().size();
    }

    private static Predicate<JsonNode> url(String url) {
        return r -> url.equals(r.path("http").path("url").asText());
    }

    private static final Predicate<JsonNode> GOODBYE = r -> "SayGoodbye".equals(r.path("grpc").path("method").asText());

    private static Predicate<JsonNode> kafkaClient(String clientId) {
        return r -> clientId.equals(r.path("kafka").path("clientId").asText());
    }

    /** Packets the kernel forwarded into endpoints although policy denies them (audit slot, ingress). */
    private static long kernelAudited() {
        return new DatapathMaps(BpfFs.PIN_ROOT, Optional.empty()).traffic().stream()
                .filter(row -> "INGRESS".equals(row.get("direction")) && "audit".equals(row.get("reason")))
                .mapToLong(row -> ((Number) row.get("packets")).longValue()).sum();
    }

    private double proxyAudits(String match) throws Exception {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxyMetricsPort
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        Matcher value = Pattern.compile("(?m)^portcullis_policy_verdicts_total\\{action=\"audit\","
                + "direction=\"ingress\","
                + "match=\"" + Pattern.quote(match) + "\"} ([0-9.eE+]+)$").matcher(page.body());
        return value.find() ? Double.parseDouble(value.group(1)) : 0;
    }

    private static Cli.Result configure(String... options) {
        String[] argv = new String[options.length + 3];
        argv[0] = "endpoint";
        argv[1] = "config";
        argv[2] = "au-server";
        System.arraycopy(options, 0, argv, 3, options.length);
        return node.cli.run(argv);
    }

    // ------------------------------------------------------------------ tests

    @Test
    void anEndpointInAuditModeLetsHttpGrpcKafkaAndL3L4ThroughAsAuditThenEnforcesAgain() throws Exception {
        Cli.Result on = configure("audit=on");
        assertThat(on.exit()).as(on.err()).isZero();
        assertThat(on.out()).contains("audit on");
        assertThat(JSON.readTree(node.cli.run("endpoint", "get", "au-server", "-o", "json").out()).path("audit")
                .asText()).isEqualTo("on");
        JsonNode ipcache = JSON.readTree(node.cli.run("bpf", "ipcache", "list", "-o", "json").out());
        assertThat(ipcache).anyMatch(row -> row.path("prefix").asText().equals(server.path("ip").asText() + "/32")
                && row.path("audit").asBoolean());
        double httpAuditsBefore = proxyAudits("l7/http");
        long kernelBefore = kernelAudited();

        int since = logged();
        ProcessRunner.Result page = curl("/private/secret?case=endpoint-on");
        assertThat(page.stdout()).as(page.stderr()).isEqualTo("200");
        JsonNode audited = record(since, "audit", url("/private/secret?case=endpoint-on"));
        assertThat(audited.path("policy").asText()).isEqualTo(POLICY_NAME);
        assertThat(audited.path("reason").asText()).startsWith("audit: no L7 rule of policy \"" + POLICY_NAME
                + "\" ingress[0].toPorts[0] matches the request")
                .endsWith("forwarded because the destination endpoint is in audit mode");
        assertThat(proxyAudits("l7/http")).isEqualTo(httpAuditsBefore + 1);

        since = logged();
        ProcessRunner.Result goodbye = grpcGoodbye("audit-on");
        assertThat(goodbye.stdout().strip()).as(goodbye.stderr()).isEqualTo("Goodbye, audit-on");
        assertThat(record(since, "audit", GOODBYE).path("policy").asText()).isEqualTo(POLICY_NAME);
        assertThat(proxyAudits("l7/grpc")).isPositive();

        ProcessRunner.Result produce = produceToPayments("au-audited");
        assertThat(produce.exitCode()).as(produce.stderr()).isZero();
        JsonNode kafka = record(0, "audit", kafkaClient("au-audited").and(r -> "Produce".equals(
                r.path("kafka").path("apiKey").asText())));
        assertThat(kafka.path("reason").asText()).contains("topic \"payments\"");
        assertThat(proxyAudits("l7/kafka")).isPositive();

        ProcessRunner.Result connect = connectPlainPort();
        assertThat(connect.exitCode()).as(connect.stderr()).isZero();
        assertThat(kernelAudited()).as("the SYN and what follows, counted as audit").isGreaterThan(kernelBefore);

        Cli.Result off = configure("audit=off");
        assertThat(off.exit()).as(off.err()).isZero();
        assertDeniedAgain("endpoint-off");
    }

    /** With audit off, each of the four is denied again. */
    private static void assertDeniedAgain(String tag) throws Exception {
        ProcessRunner.Result page = curl("/private/secret?case=" + tag);
        assertThat(page.stdout()).as(page.stderr()).isEqualTo("403");
        assertThat(record(0, "denied", url("/private/secret?case=" + tag)).path("reason").asText())
                .doesNotContain("audit");
        int since = logged();
        ProcessRunner.Result goodbye = grpcGoodbye(tag);
        assertThat(goodbye.stdout().strip()).as(goodbye.stderr()).startsWith("PERMISSION_DENIED: ");
        record(since, "denied", GOODBYE);
        ProcessRunner.Result produce = produceToPayments("au-" + tag);
        assertThat(produce.exitCode()).as(produce.stdout() + produce.stderr()).isNotZero();
        assertThat(produce.stderr()).containsIgnoringCase("authorization");
        record(0, "denied", kafkaClient("au-" + tag));
        assertThat(connectPlainPort().stderr()).contains("Operation not permitted");
    }

    @Test
    void anUnknownAuditValueIsRefusedAndLeavesTheEndpointEnforcing() throws Exception {
        Cli.Result yes = configure("audit=yes");
        assertThat(yes.exit()).isEqualTo(1);
        assertThat(yes.err()).contains("audit must be on or off, found 'yes'");
        Cli.Result unknown = configure("PolicyAuditMode=on");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("unknown endpoint option 'PolicyAuditMode'; valid: audit=on|off");
        assertThat(JSON.readTree(node.cli.run("endpoint", "get", "au-server", "-o", "json").out()).path("audit")
                .asText()).isEqualTo("off");
        assertThat(connectPlainPort().stderr()).contains("Operation not permitted");
        assertThat(node.cli.run("endpoint", "config", "no-such-endpoint", "audit=on").err())
                .contains("no endpoint named 'no-such-endpoint'");
    }

    @Test
    void aPolicyAnnotatedForAuditIsADryRunUntilTheAnnotationGoes() throws Exception {
        node.applyPolicy("server.yaml", policy(AUDIT_ANNOTATION));
        long kernelBefore = kernelAudited();

        ProcessRunner.Result page = curl("/private/secret?case=policy-on");
        assertThat(page.stdout()).as(page.stderr()).isEqualTo("200");
        assertThat(record(0, "audit", url("/private/secret?case=policy-on")).path("reason").asText())
                .endsWith("forwarded because policy \"" + POLICY_NAME + "\" is in audit mode"
                        + " (annotation portcullis.io/audit)");
        ProcessRunner.Result connect = connectPlainPort();
        assertThat(connect.exitCode()).as(connect.stderr()).isZero();
        assertThat(kernelAudited()).as("AUDIT entries in the policy map").isGreaterThan(kernelBefore);
        JsonNode entries = JSON.readTree(node.cli.run("bpf", "policy", "list", "-o", "json").out());
        assertThat(entries).anyMatch(entry -> "audit".equals(entry.path("verdict").asText()));

        node.applyPolicy("server.yaml", policy(""));
        assertDeniedAgain("policy-off");
    }

    @Test
    void theNodeInAuditModeLetsDenialsThroughUntilItIsOff() throws Exception {
        node.writeConfig(metricsConfig + "policyAuditMode: true\n");
        node.stopAgent();
        node.startAgent();
        try {
            assertThat(JSON.readTree(node.cli.run("status", "-o", "json").out()).path("policyAuditMode").asBoolean())
                    .isTrue();
            ProcessRunner.Result page = curl("/private/secret?case=node-on");
            assertThat(page.stdout()).as(page.stderr()).isEqualTo("200");
            assertThat(record(0, "audit", url("/private/secret?case=node-on")).path("reason").asText())
                    .endsWith("forwarded because the node is in audit mode (policyAuditMode)");
            long kernelBefore = kernelAudited();
            ProcessRunner.Result connect = connectPlainPort();
            assertThat(connect.exitCode()).as(connect.stderr()).isZero();
            assertThat(kernelAudited()).isGreaterThan(kernelBefore);
        } finally {
            node.writeConfig(metricsConfig);
            node.stopAgent();
            node.startAgent();
        }
        assertDeniedAgain("node-off");
    }
}
