package io.portcullis.tests.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.agent.Agent;
import io.portcullis.config.AgentConfigLoader;
import io.portcullis.tests.support.Cli;
import io.portcullis.tests.support.NodeCleanup;
import io.portcullis.tests.support.Privileges;
import io.portcullis.tests.support.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * Services end to end with {@code datapath: bpf}: three backend endpoints in the invented pool
 * 10.241.0.0/24 (blackholed by the agent) each run python's http.server serving a file that names
 * it, a client endpoint reaches them through VIPs in 10.96.77.0/24 (blackholed by this test), and a
 * "world" namespace behind the uplink (198.21.0.0/16, blackholed) reaches them from outside. The
 * parts build on each other, in order: east-west balancing, a replaced service, a deleted
 * endpoint, north-south with maglev, a VIP with no usable backend, an agent restart, the node's
 * own processes as clients, and a UDP service used with unconnected sockets.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceLoadBalancingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POOL = "10.241.0.0/24";
    private static final String VIP_RANGE = "10.96.77.0/24";
    private static final String VIP = "10.96.77.10";
    private static final String NORTH_SOUTH_VIP = "10.96.77.20";
    private static final String EMPTY_VIP = "10.96.77.30";
    private static final String UDP_VIP = "10.96.77.40";
    private static final int UDP_SOCKETS = 20;
    private static final String WORLD_CLIENT = "198.21.1.10";
    /** In the pool, held by no endpoint. */
    private static final String UNUSED_POOL_ADDRESS = "10.241.0.200";

    @TempDir
    static Path dir;
    static WorldNetns world;
    static boolean vipRangeBlackholed;
    static Path config;
    static Agent agent;
    static Cli cli;
    static JsonNode client;
    /** Backend endpoint name to its address. */
    static final Map<String, String> backends = new LinkedHashMap<>();
    static final List<Process> servers = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Privileges.requireRoot("endpoints, the BPF load balancer on a veth uplink to a world namespace");
        world = new WorldNetns("198.21.0.0/16", "198.21.255.1", WORLD_CLIENT);
        run("ip", "route", "replace", "blackhole", VIP_RANGE);
        vipRangeBlackholed = true;
        Files.createDirectories(dir.resolve("policies"));
        config = Files.writeString(dir.resolve("agent.yaml"), """
                datapath: bpf
                policyDir: policies
                accessLog: off
                apiSocket: run/agent.sock
                stateDir: state
                endpointPool: %s
                uplink: %s
                """.formatted(POOL, world.uplink));
        agent = Agent.start(AgentConfigLoader.load(config));
        cli = new Cli(dir.resolve("run/agent.sock"));
        for (String name : List.of("b1", "b2", "b3")) {
            JsonNode endpoint = endpoint(name, "app=web");
            backends.put(name, endpoint.path("ip").asText());
            startServer(endpoint);
        }
        client = endpoint("client", "role=client");
    }

    @AfterAll
    static void cleanUp() throws Exception {
        try {
            servers.forEach(Process::destroy);
            // The servers run in the endpoints' netns: gone first, so that deleting an endpoint does not race them.
            for (Process server : servers) {
                if (!server.waitFor(10, TimeUnit.SECONDS)) {
                    server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
            if (agent != null) {
                for (JsonNode endpoint : JSON.readTree(cli.run("endpoint", "list", "-o", "json").out())) {
                    cli.run("endpoint", "delete", endpoint.path("name").asText());
                }
                agent.close();
            }
            if (config != null) {
                assertThat(NodeCleanup.uninstall(config)).as("bpf_lb leaves the uplink").contains("lb_ingress")
                        .contains("lb_egress");
                NodeCleanup.assertNothingLeftBehind(POOL);
            }
        } finally {
            if (vipRangeBlackholed) {
                ProcessRunner.run(List.of("ip", "route", "del", "blackhole", VIP_RANGE));
            }
            if (world != null) {
                world.close();
            }
        }
    }

    @Test
    @Order(1)
    void eastWestConnectsAreSpreadOverEveryBackendAndThePeerIsTheVip() throws Exception {
        Cli.Result created = cli.run("service", "create", "web", "--vip", VIP + ":80", "--backend", backend("b1"),
                "--backend", backend("b2"), "--backend", backend("b3"));
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.out()).contains("service web created: " + VIP + ":80/tcp, 3 backends (3 active), random");

        Map<String, Integer> answers = requestsFromClient(60);
        System.out.println("services: 60 east-west requests to " + VIP + ":80 answered by " + answers);
        assertThat(answers.keySet()).as("every request got 200 from a backend").containsExactly("b1", "b2", "b3");
        assertThat(answers.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(60);

        ProcessRunner.Result peer = inClient("python3", "-c", "import socket; s = socket.create_connection(('" + VIP
                + "', 80), timeout=2); print(s.getpeername()); s.close()");
        assertThat(peer.stdout().trim()).as(peer.stderr()).isEqualTo("('" + VIP + "', 80)");

        JsonNode kernel = JSON.readTree(cli.run("bpf", "lb", "list", "-o", "json").out());
        assertThat(kernel.findValuesAsText("backend")).containsExactlyInAnyOrder(backend("b1"), backend("b2"),
                backend("b3"));
    }

    @Test
    @Order(2)
    void aReplacedServiceNoLongerUsesTheBackendItDropped() throws Exception {
        Cli.Result replaced = cli.run("service", "create", "web", "--vip", VIP + ":80", "--backend", backend("b1"),
                "--backend", backend("b2"));
        assertThat(replaced.exit()).as(replaced.err()).isZero();
        assertThat(replaced.out()).contains("service web updated");
        long b3Before = serverRequests("b3");

        Map<String, Integer> answers = requestsFromClient(30);

        System.out.println("services: after dropping b3, 30 requests answered by " + answers);
        assertThat(answers.keySet()).isSubsetOf("b1", "b2");
        assertThat(answers.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(30);
        assertThat(serverRequests("b3")).as("b3's server saw no new request").isEqualTo(b3Before);
    }

    @Test
    @Order(3)
    void deletingAnEndpointTakesItsBackendOutAtOnce() throws Exception {
        Cli.Result deleted = cli.run("endpoint", "delete", "b2");
        assertThat(deleted.exit()).as(deleted.err()).isZero();

        Map<String, Integer> answers = requestsFromClient(30);

        assertThat(answers).as("all from b1, starting with the first request after the delete")
                .isEqualTo(Map.of("b1", 30));
        JsonNode listed = JSON.readTree(cli.run("service", "list", "-o", "json").out());
        assertThat(listed.findValuesAsText("address")).containsExactly(backend("b1"));
        assertThat(cli.run("service", "list").out()).doesNotContain(backends.get("b2"));
    }

    @Test
    @Order(4)
    void northSouthFromTheWorldIsBalancedWithMaglev() throws Exception {
        ProcessRunner.run(List.of("sysctl", "-qw", "net.ipv4.conf." + world.uplink + ".forwarding=1"));
        world.exec("ip", "route", "add", VIP_RANGE, "via", world.hostAddress(), "dev", "eth0");
        // Endpoints route only the pool; the backends also answer the world (through the host, by proxy ARP).
        for (String name : List.of("b1", "b3")) {
            run("ip", "-n", "pc-" + name, "route", "add", WORLD_CLIENT + "/32", "dev", "eth0");
        }
        Cli.Result created = cli.run("service", "create", "web-ns", "--vip", NORTH_SOUTH_VIP + ":80", "--backend",
                backend("b1"), "--backend", backend("b3"), "--algorithm", "maglev");
        assertThat(created.exit()).as(created.err()).isZero();
        String lbList = cli.run("bpf", "lb", "list").out();
        assertThat(lbList).contains("FRONTEND").contains(NORTH_SOUTH_VIP + ":80/tcp").contains("maglev")
                .contains(backend("b3"));

        Map<String, Integer> answers = count(world.exec("sh", "-c", "for i in $(seq 30); do curl -s --max-time 2 "
                + "--interface " + WORLD_CLIENT + " -w ' %{http_code}\\n' http://" + NORTH_SOUTH_VIP + "/name; done")
                .stdout());

        System.out.println("services: 30 north-south requests from the world to " + NORTH_SOUTH_VIP
                + ":80 (maglev) answered by " + answers);
        assertThat(answers.keySet()).as("every request got 200, from both backends").containsExactly("b1", "b3");
        assertThat(answers.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(30);
    }

    @Test
    @Order(5)
    void aVipWithoutActiveBackendsRefusesConnectsAtOnceAndDropsFromOutside() throws Exception {
        Cli.Result created = cli.run("service", "create", "empty", "--vip", EMPTY_VIP + ":80", "--backend",
                UNUSED_POOL_ADDRESS + ":8080");
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.out()).contains("1 backends (0 active)");
        assertThat(cli.run("service", "list").out()).contains("empty: " + UNUSED_POOL_ADDRESS + ":8080 is inactive: no endpoint holds");
        assertThat(JSON.readTree(cli.run("bpf", "lb", "list", "-o", "json").out()).toString())
                .contains("\"frontend\":\"" + EMPTY_VIP + ":80/tcp\"").contains("\"backend\":\"none\"");

        long start = System.nanoTime();
        ProcessRunner.Result curl = inClient("curl", "-s", "-o", "/dev/null", "--max-time", "5",
                "http://" + EMPTY_VIP + "/name");
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        System.out.println("services: connect to a VIP without backends failed with curl exit " + curl.exitCode()
                + " after " + elapsedMs + " ms");
        assertThat(curl.exitCode()).as("curl: couldn't connect").isEqualTo(7);
        assertThat(elapsedMs).as("refused, not timed out").isLessThan(2_000);
        long droppedBefore = noBackendDrops();
        assertThat(world.curlFrom(WORLD_CLIENT, "http://" + EMPTY_VIP + "/name")).as("from the world: dropped")
                .isEqualTo("000");
        assertThat(noBackendDrops()).as("counted").isGreaterThan(droppedBefore);
        JsonNode status = JSON.readTree(cli.run("status", "-o", "json").out());
        assertThat(status.path("services").asInt()).isEqualTo(3);
    }

    private static long noBackendDrops() throws IOException {
        for (JsonNode row : JSON.readTree(cli.run("bpf", "drops", "list", "-o", "json").out())) {
            if (row.path("reason").asText().equals("no service backend")) {
                return row.path("packets").asLong();
            }
        }
        throw new AssertionError("no 'no service backend' drop counter");
    }

    @Test
    @Order(6)
    void servicesKeepWorkingWhileTheAgentIsAwayAndComeBackWithTheirIds() throws Exception {
        JsonNode kernelBefore = JSON.readTree(cli.run("bpf", "lb", "list", "-o", "json").out());

        agent.close();
        agent = null;
        Map<String, Integer> whileAway = requestsFromClient(10);
        agent = Agent.start(AgentConfigLoader.load(config));

        assertThat(whileAway).as("the maps and programs stay while the agent is away").isEqualTo(Map.of("b1", 10));
        JsonNode listed = JSON.readTree(cli.run("service", "list", "-o", "json").out());
        assertThat(listed.findValuesAsText("name")).containsExactly("empty", "web", "web-ns");
        assertThat(listed.findValuesAsText("source")).containsOnly("api");
        assertThat(JSON.readTree(cli.run("bpf", "lb", "list", "-o", "json").out())).as("ids survive the restart")
                .isEqualTo(kernelBefore);
        assertThat(requestsFromClient(10)).isEqualTo(Map.of("b1", 10));
    }

    /**
     * The node itself is a client too (as with kube-proxy): a process of the host, in no endpoint
     * cgroup, reaches the east-west VIP (no policy selects the backends, so the host may reach
     * them) and sees the VIP as its peer.
     */
    @Test
    @Order(7)
    void theNodesOwnProcessesReachTheVipAndSeeItAsThePeer() throws Exception {
        ProcessRunner.Result curl = ProcessRunner.run(List.of("sh", "-c", "for i in $(seq 10); do curl -s "
                + "--max-time 2 -w ' %{http_code}\\n' http://" + VIP + "/name; done"));
        ProcessRunner.Result peer = ProcessRunner.run(List.of("python3", "-c", "import socket; s = "
                + "socket.create_connection(('" + VIP + "', 80), timeout=2); print(s.getpeername()); s.close()"));

        System.out.println("services: 10 requests from the node itself to " + VIP + ":80 answered by "
                + count(curl.stdout()));
        assertThat(count(curl.stdout())).as("from the host, every request got 200 from web's backend")
                .isEqualTo(Map.of("b1", 10));
        assertThat(peer.stdout().trim()).as(peer.stderr()).isEqualTo("('" + VIP + "', 80)");
    }

    /**
     * A UDP service used the way most DNS clients use one: each socket sends with sendto() and
     * reads the answer with recvfrom(), which must show the VIP as its source (resolvers drop
     * answers from elsewhere); the sockets spread over both backends.
     */
    @Test
    @Order(8)
    void aUdpServiceAnswersUnconnectedSocketsFromTheVip() throws Exception {
        for (String name : List.of("b1", "b3")) {
            startUdpServer(name);
        }
        Cli.Result created = cli.run("service", "create", "names", "--vip", UDP_VIP + ":53", "--protocol", "udp",
                "--backend", backends.get("b1") + ":5353", "--backend", backends.get("b3") + ":5353");
        assertThat(created.exit()).as(created.err()).isZero();

        ProcessRunner.Result queries = inClient("python3", "-c", String.join("\n",
                "import socket",
                "for i in range(" + UDP_SOCKETS + "):",
                "    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
                "    s.settimeout(2)",
                "    s.sendto(b'name?', ('" + UDP_VIP + "', 53))",
                "    data, source = s.recvfrom(100)",
                "    print('%s:%d %s' % (source + (data.decode(),)))",
                "    s.close()"));

        assertThat(queries.exitCode()).as(queries.stderr()).isZero();
        List<String> answers = queries.stdout().lines().toList();
        Map<String, Integer> byBackend = new TreeMap<>();
        answers.forEach(line -> byBackend.merge(line.substring(line.indexOf(' ') + 1), 1, Integer::sum));
        System.out.println("services: " + UDP_SOCKETS + " unconnected UDP sockets to " + UDP_VIP
                + ":53 answered by " + byBackend);
        assertThat(answers).hasSize(UDP_SOCKETS)
                .allSatisfy(line -> assertThat(line).startsWith(UDP_VIP + ":53 "));
        assertThat(byBackend.keySet()).as("both backends answered").containsExactly("b1", "b3");
    }

    /** A UDP server in the endpoint on :5353 that answers every datagram with the endpoint's name. */
    private static void startUdpServer(String name) throws Exception {
        String netns = "pc-" + name;
        servers.add(new ProcessBuilder("ip", "netns", "exec", netns, "python3", "-c", String.join("\n",
                "import socket, sys",
                "u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
                "u.bind((sys.argv[1], 5353))",
                "while True:",
                "    data, peer = u.recvfrom(100)",
                "    u.sendto(sys.argv[2].encode(), peer)"), backends.get(name), name)
                .redirectErrorStream(true).redirectOutput(dir.resolve("udp-server-" + name + ".log").toFile()).start());
        for (int i = 0; i < 100; i++) {
            if (!ProcessRunner.run(List.of("ip", "netns", "exec", netns, "ss", "-Huln", "sport = :5353")).stdout()
                    .isBlank()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the UDP server in " + name + " did not start");
    }

    private static String backend(String name) {
        return backends.get(name) + ":8080";
    }

    private static JsonNode endpoint(String name, String labels) throws IOException {
        Cli.Result created = cli.run("endpoint", "create", name, "--labels", labels);
        if (created.exit() != 0) {
            throw new IllegalStateException("endpoint create " + name + ": " + created.err());
        }
        return JSON.readTree(cli.run("endpoint", "get", name, "-o", "json").out());
    }

    /** python's http.server in the endpoint on :8080, serving /name (the endpoint's name); its log is its stderr. */
    private static void startServer(JsonNode endpoint) throws Exception {
        String name = endpoint.path("name").asText();
        Path root = Files.createDirectories(dir.resolve("www-" + name));
        Files.writeString(root.resolve("name"), name);
        servers.add(new ProcessBuilder("ip", "netns", "exec", endpoint.path("netns").asText(), "python3", "-m",
                "http.server", "8080", "--bind", endpoint.path("ip").asText(), "--directory", root.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("server-" + name + ".log").toFile()).start());
        for (int i = 0; i < 100; i++) {
            if (!ProcessRunner.run(List.of("ip", "netns", "exec", endpoint.path("netns").asText(), "ss", "-Htln",
                    "sport = :8080")).stdout().isBlank()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("http.server in " + name + " did not start");
    }

    private static long serverRequests(String name) throws IOException {
        return Files.readString(dir.resolve("server-" + name + ".log")).lines().filter(l -> l.contains("\"GET /name"))
                .count();
    }

    /** {@code n} requests from the client endpoint to the VIP, each a new curl; answers counted by backend. */
    private static Map<String, Integer> requestsFromClient(int n) throws Exception {
        return count(inClient("sh", "-c", "for i in $(seq " + n + "); do curl -s --max-time 2 -w ' %{http_code}\\n' "
                + "http://" + VIP + "/name; done").stdout());
    }

    /**
     * Counts lines {@code <backend name> 200}; any other line (a failed request prints
     * {@code " 000"}) is counted under itself, so it shows in the assertion.
     */
    private static Map<String, Integer> count(String output) {
        Map<String, Integer> counts = new TreeMap<>();
        for (String line : output.lines().toList()) {
            String key = line.endsWith(" 200") ? line.substring(0, line.length() - 4) : "failed: '" + line + "'";
            counts.merge(key, 1, Integer::sum);
        }
        return counts;
    }

    /** What {@code endpoint exec} does: join the client's cgroup (where connect4 runs), then its netns. */
    private static ProcessRunner.Result inClient(String... command) throws Exception {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", "echo $$ > \"$0/cgroup.procs\" && exec \"$@\"",
                client.path("cgroup").asText(), "ip", "netns", "exec", client.path("netns").asText()));
        argv.addAll(List.of(command));
        return ProcessRunner.run(argv);
    }

    private static void run(String... command) throws Exception {
        ProcessRunner.Result result = ProcessRunner.run(List.of(command));
        if (result.exitCode() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + result.exitCode() + ": " + result.stderr());
        }
    }
}
