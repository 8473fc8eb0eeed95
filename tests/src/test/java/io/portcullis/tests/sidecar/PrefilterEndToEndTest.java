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
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The XDP prefilter on a real uplink: a veth from the host to a "world" namespace (198.19.0.0/16,
 * blackholed on the host), an HTTP server on the host's uplink address, and curl from two world
 * addresses in neighbouring prefixes. Driven through the CLI, across an agent restart.
 */
class PrefilterEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BLOCKED_SOURCE = "198.19.1.10";
    private static final String NEIGHBOUR_SOURCE = "198.19.1.20";

    @TempDir
    static Path dir;
    static WorldNetns world;
    static HttpServer server;
    static Path config;
    static Agent agent;
    static Cli cli;
    static String url;

    @BeforeAll
    static void start() throws Exception {
        Privileges.requireRoot("XDP on a veth uplink to a world network namespace");
        world = new WorldNetns("198.19.0.0/16", "198.19.255.1", BLOCKED_SOURCE, NEIGHBOUR_SOURCE);
        server = HttpServer.create(new InetSocketAddress(world.hostAddress(), 0), 16);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        url = "http://" + world.hostAddress() + ":" + server.getAddress().getPort() + "/";
        Files.createDirectories(dir.resolve("policies"));
        config = Files.writeString(dir.resolve("agent.yaml"), """
                policyDir: policies
                accessLog: off
                apiSocket: run/agent.sock
                stateDir: state
                uplink: %s
                listeners: [{port: 0, upstream: "127.0.0.1:9"}]
                """.formatted(world.uplink));
        agent = Agent.start(AgentConfigLoader.load(config));
        cli = new Cli(dir.resolve("run/agent.sock"));
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (agent != null) {
            agent.close();
        }
        if (config != null) {
            NodeCleanup.uninstall(config);
        }
        if (server != null) {
            server.stop(0);
        }
        if (world != null) {
            world.close();
        }
    }

    @Test
    void blockedPrefixIsDroppedItsNeighbourPassesAndTheBlockSurvivesARestart() throws Exception {
        assertThat(world.curlFrom(NEIGHBOUR_SOURCE, url)).as("reachable before any block").isEqualTo("204");
        Cli.Result add = cli.run("prefilter", "add", "198.19.1.0/28", "198.19.2.7");
        assertThat(add.exit()).as(add.err()).isZero();
        assertThat(add.out()).contains("198.19.1.0/28").contains("198.19.2.7/32");
        long dropsBefore = prefilterDrops();

        assertThat(world.curlFrom(BLOCKED_SOURCE, url)).isEqualTo("000");
        assertThat(world.curlFrom(NEIGHBOUR_SOURCE, url)).as("198.19.1.20 is outside 198.19.1.0/28").isEqualTo("204");

        JsonNode listed = JSON.readTree(cli.run("prefilter", "list", "-o", "json").out());
        assertThat(drops(listed, "198.19.1.0/28")).isPositive();
        assertThat(drops(listed, "198.19.2.7/32")).isZero();
        assertThat(prefilterDrops()).isGreaterThan(dropsBefore);
        assertThat(cli.run("prefilter", "list").out()).contains("CIDR").contains("DROPS").contains("198.19.1.0/28");
        JsonNode status = JSON.readTree(cli.run("status", "-o", "json").out());
        assertThat(status.path("sidecar").path("prefilter").path("uplink").asText()).isEqualTo(world.uplink);
        System.out.println("prefilter: XDP attached to the veth uplink in "
                + status.path("sidecar").path("prefilter").path("mode").asText() + " mode");

        agent.close();
        agent = null;
        assertThat(world.curlFrom(BLOCKED_SOURCE, url)).as("still dropped while the agent is down").isEqualTo("000");
        agent = Agent.start(AgentConfigLoader.load(config));
        JsonNode restored = JSON.readTree(cli.run("prefilter", "list", "-o", "json").out());
        assertThat(restored).hasSize(2);
        assertThat(drops(restored, "198.19.1.0/28")).as("counts survive the restart")
                .isGreaterThanOrEqualTo(drops(listed, "198.19.1.0/28"));

        assertThat(cli.run("prefilter", "delete", "198.19.1.0/28").exit()).isZero();
        assertThat(world.curlFrom(BLOCKED_SOURCE, url)).isEqualTo("204");
    }

    @Test
    void badInputIsRefusedWithAReason() {
        Cli.Result hostBits = cli.run("prefilter", "add", "198.19.1.17/28");
        assertThat(hostBits.exit()).isEqualTo(1);
        assertThat(hostBits.err()).contains("host bits set").contains("198.19.1.16/28");
        Cli.Result notACidr = cli.run("prefilter", "add", "example.com");
        assertThat(notACidr.exit()).isEqualTo(1);
        assertThat(notACidr.err()).contains("expected an IPv4 CIDR");
    }

    private static long prefilterDrops() throws IOException {
        for (JsonNode row : JSON.readTree(cli.run("bpf", "drops", "list", "-o", "json").out())) {
            if (row.path("reason").asText().equals("prefilter")) {
                return row.path("packets").asLong();
            }
        }
        throw new AssertionError("no prefilter drop counter");
    }

    private static long drops(JsonNode list, String cidr) {
        for (JsonNode row : list) {
            if (row.path("cidr").asText().equals(cidr)) {
                return row.path("drops").asLong();
            }
        }
        throw new AssertionError(cidr + " is not listed in " + list);
    }
}
