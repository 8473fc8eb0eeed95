package io.portcullis.tests.steering;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.api.control.ControlClient;
import io.portcullis.api.control.ProxyStatus;
import io.portcullis.tests.support.NodeCleanup;
import io.portcullis.tests.support.Privileges;
import io.portcullis.tests.support.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restarts under load, in transparent mode ({@code datapath: bpf}): HTTP/1.1 keep-alive and
 * new-connection requests, gRPC unary calls and long server streams, and a Kafka producer and
 * consumer run from a client endpoint through the proxy all the time ({@link RestartLoadMain})
 * while the agent is killed and started again, restarted with a changed configuration, the proxy
 * is upgraded (listeners handed over, the old one drains), the policy changes through files and
 * the API, and the proxy is killed. Each scenario is one phase of the load; only the proxy's kill
 * may fail requests, and then by refusing connections, never by passing one unjudged.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestartsUnderLoadTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POOL = "10.245.0.0/24";
    private static final int HTTP_PORT = 8080;
    private static final int GRPC_PORT = 50051;
    private static final int KAFKA_PORT = 9092;
    private static final long LOAD_MILLIS = 2_500;
    private static final int POLICY_CHANGES = 6;
    private static final String CONFIG = "proxy: {drainTime: 5s}\n";
    /** {@code VARIANT} (even or odd) names the one path besides /public/ that client may GET. */
    private static final String POLICY = """
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata:
              name: restarts-server
            spec:
              endpointSelector: {matchLabels: {app: server}}
              ingress:
                - fromEndpoints: [{matchLabels: {role: client}}]
                  toPorts:
                    - ports: [{port: "8080", protocol: TCP}]
                      rules:
                        http:
                          - {method: GET, path: "/public/.*"}
                          - {method: GET, path: "/VARIANT/.*"}
                    - ports: [{port: "50051", protocol: TCP}]
                      rules:
                        grpc:
                          - {service: demo.Echo, method: Say}
                          - {service: demo.Echo, method: Tick}
                    - ports: [{port: "9092", protocol: TCP}]
                      rules:
                        kafka:
                          - {role: produce, topic: load}
                          - {role: consume, topic: load}
            """;

    @TempDir
    static Path dir;
    static SteeringNode node;
    static AgentProcess agent;
    static LoadDriver load;
    static Path backendsLog;
    static final PolicyTimeline TIMELINE = new PolicyTimeline("even");
    static final List<String> TABLE = new ArrayList<>();
    static int agents;

    @BeforeAll
    static void start() throws Exception {
        Privileges.requireRoot("endpoints are namespaces and cgroups; steering is BPF");
        node = new SteeringNode(dir, POOL, false, policy("even"), CONFIG);
        JsonNode server = node.endpoint("server", "app=server");
        JsonNode client = node.endpoint("client", "role=client");
        String ip = server.path("ip").asText();
        backendsLog = dir.resolve("backends.log");
        Process backends = node.serverProcess(server, HTTP_PORT, backendsLog, SteeringNode.java(), "-Xmx384m", "-cp",
                System.getProperty("java.class.path"), RestartBackendsMain.class.getName(), ip,
                String.valueOf(HTTP_PORT), String.valueOf(GRPC_PORT), String.valueOf(KAFKA_PORT));
        node.awaitReady(backends, "backends");
        // From here on the agent is a process of its own, which can be killed; it adopts the running proxy.
        node.stopAgentLeavingProxy();
        agent = AgentProcess.start(node.config, node.cli, ++agents);
        load = new LoadDriver(client, dir.resolve("load.log"), ip, client.path("ip").asText(),
                String.valueOf(HTTP_PORT), String.valueOf(GRPC_PORT), String.valueOf(KAFKA_PORT));
        // Until every load has succeeded once (JVMs warming up on a busy machine), so that no
        // scenario's phase holds a first call that waited for them.
        JsonNode warmUp;
        int rounds = 0;
        do {
            Thread.sleep(4_000);
            warmUp = load.mark();
        } while (++rounds < 8 && !allServed(warmUp));
        report("warm-up", warmUp, "");
    }

    @AfterAll
    static void cleanUp() throws Exception {
        System.out.println("restarts under load (" + LOAD_MILLIS + " ms of load after each event)");
        System.out.println("| scenario | requests | failed | refused | p99 ms http keep-alive / new / grpc / kafka "
                + "produce | longest gap ms (new conn) | notes |");
        System.out.println("|---|---|---|---|---|---|---|");
        TABLE.forEach(System.out::println);
        if (load != null) {
            load.close();
        }
        if (agent != null) {
            agent.stop();
            node.agent = null;
        }
        if (node != null) {
            node.close();
            NodeCleanup.assertNothingLeftBehind(POOL);
        }
    }

    private static String policy(String variant) {
        return POLICY.replace("VARIANT", variant);
    }

    @Test
    @Order(1)
    void killingTheAgentFailsNothingAndLeavesTheDatapathMapsInPlace() throws Exception {
        long proxy = node.proxyPid();
        Map<String, Long> maps = pinnedMaps();
        String policyMap = node.cli.run("bpf", "policy", "list", "-o", "json").out();
        agent.kill();
        Thread.sleep(1_000);
        agent = AgentProcess.start(node.config, node.cli, ++agents);
        Thread.sleep(LOAD_MILLIS);

        JsonNode phase = load.mark();
        report("agent kill -9, start", phase, "");
        assertNoFailures(phase);
        assertThat(node.proxyPid()).as("the proxy ran on and was adopted").isEqualTo(proxy);
        assertThat(pinnedMaps()).as("the same maps (by id): not flushed and rebuilt").isEqualTo(maps);
        assertThat(node.cli.run("bpf", "policy", "list", "-o", "json").out()).isEqualTo(policyMap);
    }

    @Test
    @Order(2)
    void aGracefulRestartWithAChangedConfigurationFailsNothing() throws Exception {
        long proxy = node.proxyPid();
        agent.stop();
        node.writeConfig(CONFIG + "http: {idleTimeout: 90s}\n");
        agent = AgentProcess.start(node.config, node.cli, ++agents);
        Thread.sleep(LOAD_MILLIS);

        JsonNode phase = load.mark();
        report("agent SIGTERM, start with changed config", phase, "");
        assertNoFailures(phase);
        assertThat(node.proxyPid()).as("the proxy's settings changed: a new proxy took over").isNotEqualTo(proxy);
    }

    @Test
    @Order(3)
    void policyChangesThroughFilesAndTheApiFailNothing() throws Exception {
        List<Long> latencies = new ArrayList<>();
        Path imports = Files.createDirectories(dir.resolve("imports"));
        for (int change = 1; change <= POLICY_CHANGES; change++) {
            String variant = change % 2 == 0 ? "even" : "odd";
            long before = proxyStatus().policyRevision();
            long start = epochMicros();
            if (change % 2 == 1) {
                // As an operator's tooling writes it: whole, then renamed into place.
                Path temporary = Files.writeString(dir.resolve("policies/.server.yaml.tmp"), policy(variant));
                Files.move(temporary, dir.resolve("policies/server.yaml"), StandardCopyOption.ATOMIC_MOVE);
            } else {
                Path file = Files.writeString(imports.resolve("server.yaml"), policy(variant));
                assertThat(node.cli.run("policy", "import", file.toString()).exit()).isZero();
            }
            while (proxyStatus().policyRevision() == before) {
                assertThat(epochMicros() - start).as("change " + change + " applied").isLessThan(10_000_000);
                Thread.sleep(2);
            }
            long applied = epochMicros();
            TIMELINE.changed(start, applied, variant);
            latencies.add(applied - start);
            Thread.sleep(400);
        }

        JsonNode phase = load.mark();
        latencies.sort(null);
        report(POLICY_CHANGES + " policy changes (file, API)", phase, "apply p50 " + latencies.get(
                latencies.size() / 2) / 1000.0 + " ms, p99 " + latencies.get(latencies.size() - 1) / 1000.0 + " ms");
        assertNoFailures(phase);
    }

    @Test
    @Order(4)
    void aProxyUpgradeFailsNothingAndClosesConnectionsAtRequestBoundaries() throws Exception {
        long old = node.proxyPid();
        long start = System.nanoTime();
        assertThat(node.cli.run("proxy", "upgrade").exit()).isZero();
        long handedOver = System.nanoTime();
        while (ProcessHandle.of(old).isPresent()) {
            assertThat(System.nanoTime() - handedOver).as("the old proxy drained").isLessThan(
                    TimeUnit.SECONDS.toNanos(15));
            Thread.sleep(20);
        }
        long drained = System.nanoTime();
        Thread.sleep(LOAD_MILLIS);

        JsonNode phase = load.mark();
        report("proxy upgrade", phase, "hand-over " + TimeUnit.NANOSECONDS.toMillis(handedOver - start)
                + " ms, old drained in " + TimeUnit.NANOSECONDS.toMillis(drained - handedOver) + " ms, "
                + phase.path("closedAtBoundary").asLong() + " HTTP/1.1 connections closed after a response");
        assertNoFailures(phase);
        assertThat(node.proxyPid()).isNotEqualTo(old);
        assertThat(phase.path("closedAtBoundary").asLong()).as("keep-alive connections ended by Connection: close")
                .isPositive();
    }

    @Test
    @Order(5)
    void whileTheProxyIsKilledL7ConnectionsAreRefusedNeverPassedUnjudged() throws Exception {
        long killed = node.proxyPid();
        long start = System.nanoTime();
        ProcessHandle.of(killed).orElseThrow().destroyForcibly();
        Optional<ProxyStatus> status = Optional.empty();
        while (status.isEmpty() || status.get().pid() == killed || status.get().generation() == 0) {
            assertThat(System.nanoTime() - start).as("the supervisor restarted the proxy").isLessThan(
                    TimeUnit.SECONDS.toNanos(60));
            Thread.sleep(10);
            status = ControlClient.status(dir.resolve("run/proxy.sock"));
        }
        long recovered = System.nanoTime() - start;
        Thread.sleep(LOAD_MILLIS);

        JsonNode phase = load.mark();
        JsonNode newConnections = phase.path("loads").path("http-newconn");
        report("proxy kill -9", phase, "supervisor restarted it in " + TimeUnit.NANOSECONDS.toMillis(recovered)
                + " ms");
        assertThat(newConnections.path("refused").asLong()).as("refused while no proxy listened: " + phase)
                .isPositive();
        assertThat(phase.path("loads").path("http-denied").path("errors")).as("never anything but 403 or refused")
                .noneMatch(error -> error.asText().startsWith("status "));
        assertThat(Files.readString(backendsLog)).as("nothing reached the server unjudged").doesNotContain("UNJUDGED");
        JsonNode proxyStatus = JSON.readTree(node.cli.run("status", "-o", "json").out()).path("proxy");
        assertThat(proxyStatus.path("restarts").asInt()).as(proxyStatus.toString()).isPositive();
    }

    @Test
    @Order(6)
    void everyKafkaRecordArrivedOnceAndEveryRequestWasJudgedByOneRevision() throws Exception {
        JsonNode end = load.end();
        JsonNode kafka = end.path("kafka");
        TABLE.add("| Kafka over the whole run | " + kafka.path("acked").asLong() + " records acknowledged | "
                + kafka.path("sendFailed").asLong() + " failed sends | | | | " + kafka.path("duplicates").asLong()
                + " duplicated, " + kafka.path("missing").asLong() + " lost |");
        assertThat(kafka.path("acked").asLong()).as(kafka.toString()).isPositive();
        assertThat(kafka.path("sendFailed").asLong()).as(kafka.toString()).isZero();
        assertThat(kafka.path("duplicates").asLong()).as(kafka.toString()).isZero();
        assertThat(kafka.path("missing").asLong()).as(kafka.toString()).isZero();

        JsonNode probes = end.path("probes");
        assertThat(probes.size()).as("policy probes").isGreaterThan(100);
        assertThat(TIMELINE.misjudged(probes)).as("requests judged by neither the old nor the new revision")
                .isEmpty();
        assertThat(Files.readString(backendsLog)).as("nothing reached the server unjudged").doesNotContain("UNJUDGED");
    }

    private static ProxyStatus proxyStatus() {
        return ControlClient.status(dir.resolve("run/proxy.sock")).orElseThrow();
    }

    private static long epochMicros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }

    /** Every map pinned under /sys/fs/bpf/portcullis, by its pinned path, with its kernel id. */
    private static Map<String, Long> pinnedMaps() throws Exception {
        ProcessRunner.Result maps = ProcessRunner.run(List.of("bpftool", "-j", "-f", "map", "show"));
        Map<String, Long> ids = new TreeMap<>();
        for (JsonNode map : JSON.readTree(maps.stdout())) {
            for (JsonNode pinned : map.path("pinned")) {
                if (pinned.asText().startsWith("/sys/fs/bpf/portcullis/")) {
                    ids.put(pinned.asText(), map.path("id").asLong());
                }
            }
        }
        assertThat(ids).as("pinned maps").isNotEmpty();
        return ids;
    }

    private static boolean allServed(JsonNode phase) {
        return phase.path("loads").size() == 8 && phase.path("loads").findValues("ok").stream()
                .allMatch(ok -> ok.asLong() > 0);
    }

    private static void assertNoFailures(JsonNode phase) {
        for (Iterator<Map.Entry<String, JsonNode>> kinds = phase.path("loads").fields(); kinds.hasNext(); ) {
            Map.Entry<String, JsonNode> kind = kinds.next();
            assertThat(kind.getValue().path("failed").asLong() + kind.getValue().path("refused").asLong())
                    .as(kind.getKey() + " failures: " + kind.getValue()).isZero();
            assertThat(kind.getValue().path("ok").asLong()).as(kind.getKey() + " served").isPositive();
        }
    }

    private static void report(String scenario, JsonNode phase, String notes) {
        long requests = 0;
        long failed = 0;
        long refused = 0;
        for (JsonNode kind : phase.path("loads")) {
            requests += kind.path("ok").asLong();
            failed += kind.path("failed").asLong();
            refused += kind.path("refused").asLong();
        }
        JsonNode loads = phase.path("loads");
        TABLE.add("| " + scenario + " | " + requests + " | " + failed + " | " + refused + " | "
                + loads.path("http-keepalive").path("p99Ms") + " / " + loads.path("http-newconn").path("p99Ms") + " / "
                + loads.path("grpc-unary").path("p99Ms") + " / " + loads.path("kafka-produce").path("p99Ms") + " | "
                + loads.path("http-newconn").path("maxGapMs") + " | " + notes + " |");
        System.out.println(scenario + ": " + phase);
    }
}
