package io.portcullis.tests.steering;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.tests.support.Cli;
import io.portcullis.tests.support.NodeCleanup;
import io.portcullis.tests.support.Privileges;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code portcullis observe} end to end with {@code datapath: bpf} and {@link SteeringNode#POLICY}:
 * client-a's curl of {@code /private/} on the server is denied by the proxy (L7) and its UDP
 * datagram to the server, which no rule allows, is dropped by bpf_lxc (L3/L4); both show in one
 * stream with identities, labels, endpoint names, verdict and reason, and filters exclude what
 * they should.
 */
class ObserveEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POOL = "10.248.0.0/24";
    private static final int UDP_PORT = 5353;

    @TempDir
    static Path dir;
    static SteeringNode node;
    static JsonNode server;
    static JsonNode client;

    @BeforeAll
    static void start() throws Exception {
        Privileges.requireRoot("endpoints are namespaces and cgroups; steering and L3/L4 are BPF");
        node = new SteeringNode(dir, POOL, false);
        server = node.endpoint("server", "app=server");
        client = node.endpoint("client-a", "role=client-a");
        node.httpServer(server, 8080);

        assertThat(node.curl("client-a", "http://" + server.path("ip").asText() + ":8080/private/x").stdout())
                .isEqualTo("403");
        // An unconnected datagram: nothing judges it at connect, bpf_lxc drops it on the server's veth.
        assertThat(node.exec("client-a", "python3", "-c", "import socket; socket.socket(socket.AF_INET, "
                + "socket.SOCK_DGRAM).sendto(b'x', ('" + server.path("ip").asText() + "', " + UDP_PORT + "))")
                .exitCode()).isZero();
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (node != null) {
            node.close();
            NodeCleanup.assertNothingLeftBehind(POOL);
        }
    }

    private static List<JsonNode> observe(String... filters) throws Exception {
        List<String> args = new ArrayList<>(List.of("observe", "--last", "100", "-o", "json"));
        args.addAll(List.of(filters));
        Cli.Result result = node.cli.run(args.toArray(String[]::new));
        assertThat(result.exit()).as(result.err()).isZero();
        List<JsonNode> records = new ArrayList<>();
        for (String line : result.out().lines().toList()) {
            records.add(JSON.readTree(line));
        }
        return records;
    }

    private static final Predicate<JsonNode> L7_DENIAL = r -> "denied".equals(r.path("verdict").asText())
            && "http".equals(r.path("l7Protocol").asText()) && r.path("http").path("url").asText().startsWith("/private/");
    private static final Predicate<JsonNode> UDP_DROP = r -> "l3l4".equals(r.path("type").asText())
            && "dropped".equals(r.path("verdict").asText()) && "udp".equals(r.path("l4Protocol").asText())
            && r.path("destination").path("port").asInt() == UDP_PORT;

    /** Kernel flows reach the history from the agent's reader thread: wait for the drop. */
    private static List<JsonNode> observeUntilBoth() throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        List<JsonNode> records = observe();
        while (System.nanoTime() < deadline
                && !(records.stream().anyMatch(L7_DENIAL) && records.stream().anyMatch(UDP_DROP))) {
            Thread.sleep(200);
            records = observe();
        }
        return records;
    }

    @Test
    void theL7DenialAndTheKernelDropAreInOneStreamWithIdentitiesLabelsVerdictAndReason() throws Exception {
        List<JsonNode> records = observeUntilBoth();

        JsonNode denial = records.stream().filter(L7_DENIAL).findFirst().orElseThrow();
        assertThat(denial.path("source").path("endpoint").asText()).isEqualTo("client-a");
        assertThat(denial.path("source").path("labels").path("k8s:role").asText()).isEqualTo("client-a");
        assertThat(denial.path("destination").path("endpoint").asText()).isEqualTo("server");
        assertThat(denial.path("destination").path("identity").asInt()).isEqualTo(server.path("identity").asInt());

        JsonNode drop = records.stream().filter(UDP_DROP).findFirst().orElseThrow();
        assertThat(drop.path("reason").asText()).isEqualTo("policy denied");
        assertThat(drop.path("observationPoint").asText()).as("the server's ingress").isEqualTo("ingress");
        assertThat(drop.path("source").path("endpoint").asText()).isEqualTo("client-a");
        assertThat(drop.path("source").path("identity").asInt()).isEqualTo(client.path("identity").asInt());
        assertThat(drop.path("source").path("labels").path("k8s:role").asText()).isEqualTo("client-a");
        assertThat(drop.path("source").path("namespace").asText()).isEqualTo("default");
        assertThat(drop.path("destination").path("endpoint").asText()).isEqualTo("server");
        assertThat(drop.path("destination").path("identity").asInt()).isEqualTo(server.path("identity").asInt());
        assertThat(drop.path("destination").path("labels").path("k8s:app").asText()).isEqualTo("server");
        assertThat(drop.path("destination").path("ip").asText()).isEqualTo(server.path("ip").asText());
    }

    @Test
    void filtersKeepWhatTheyNameAndExcludeTheRest() throws Exception {
        observeUntilBoth();

        List<JsonNode> dropped = observe("--verdict", "dropped");
        assertThat(dropped).anyMatch(UDP_DROP).noneMatch(L7_DENIAL)
                .allMatch(r -> r.has("lost") || "dropped".equals(r.path("verdict").asText()));

        assertThat(observe("--protocol", "http")).anyMatch(L7_DENIAL).noneMatch(UDP_DROP);
        assertThat(observe("--protocol", "udp", "--to-label", "app=server")).anyMatch(UDP_DROP).noneMatch(L7_DENIAL);
        assertThat(observe("--from-identity", client.path("identity").asText(), "--port", String.valueOf(UDP_PORT)))
                .anyMatch(UDP_DROP).noneMatch(L7_DENIAL);
        assertThat(observe("--http-status", "403")).anyMatch(r -> "response".equals(r.path("type").asText())
                && L7_DENIAL.test(r)).noneMatch(UDP_DROP);
        assertThat(observe("--from-label", "role=client-b")).noneMatch(UDP_DROP).noneMatch(L7_DENIAL);
    }

    @Test
    void anUnknownVerdictIsAnErrorListingTheValidOnes() {
        Cli.Result result = node.cli.run("observe", "--last", "5", "--verdict", "blocked");
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("valid values: forwarded, audit, denied, dropped, error");
    }
}
