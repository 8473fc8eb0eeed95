package io.portcullis.tests.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.agent.Agent;
import io.portcullis.bpf.BpfFs;
import io.portcullis.bpf.BpfMap;
import io.portcullis.bpf.maps.DropCounter;
import io.portcullis.bpf.maps.DropReason;
import io.portcullis.bpf.maps.MapNames;
import io.portcullis.bpf.maps.StructCodec;
import io.portcullis.config.AgentConfigLoader;
import io.portcullis.tests.support.Cli;
import io.portcullis.tests.support.NodeCleanup;
import io.portcullis.tests.support.Privileges;
import io.portcullis.tests.support.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bpf_lxc on real endpoints with {@code datapath: bpf}: two endpoints the agent plumbs in the
 * invented pool 10.240.0.0/24 (blackholed by the agent), servers on two ports of one, L3/L4
 * policy imported through the CLI. Connect-time denial is off so that the TC programs, not
 * connect4, are what refuses: the TCP handshake must time out and the drop counter rise.
 */
class LxcEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POOL = "10.240.0.0/24";
    private static final String ALLOW_8080 = """
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata: {name: server-ingress}
            spec:
              endpointSelector: {matchLabels: {app: server}}
              ingress:
                - fromEndpoints: [{matchLabels: {app: client}}]
                  toPorts: [{ports: [{port: "8080", protocol: TCP}]}]
            """;

    @TempDir
    static Path dir;
    static Path config;
    static Agent agent;
    static Cli cli;
    static final List<Process> servers = new ArrayList<>();
    static String serverIp;

    @BeforeAll
    static void start() throws Exception {
        Privileges.requireRoot("endpoints, TC programs and pinned maps");
        Files.createDirectories(dir.resolve("policies"));
        config = Files.writeString(dir.resolve("agent.yaml"), """
                datapath: bpf
                policyDir: policies
                accessLog: off
                apiSocket: run/agent.sock
                stateDir: state
                endpointPool: %s
                bpf: {denyAtConnect: false, socketRedirect: false}
                """.formatted(POOL));
        agent = Agent.start(AgentConfigLoader.load(config));
        cli = new Cli(dir.resolve("run/agent.sock"));
        assertThat(cli.run("endpoint", "create", "lxc-client", "--labels", "app=client").exit()).isZero();
        assertThat(cli.run("endpoint", "create", "lxc-server", "--labels", "app=server").exit()).isZero();
        JsonNode server = JSON.readTree(cli.run("endpoint", "get", "lxc-server", "-o", "json").out());
        serverIp = server.path("ip").asText();
        for (String port : new String[] {"8080", "9090"}) {
            servers.add(new ProcessBuilder("ip", "netns", "exec", server.path("netns").asText(), "python3", "-m",
                    "http.server", port, "--bind", serverIp).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        }
    }

    @AfterAll
    static void cleanUp() throws Exception {
        servers.forEach(Process::destroy);
        if (agent != null) {
            for (JsonNode endpoint : JSON.readTree(cli.run("endpoint", "list", "-o", "json").out())) {
                cli.run("endpoint", "delete", endpoint.path("name").asText());
            }
            cli.run("policy", "delete", "server-ingress");
            agent.close();
        }
        if (config != null) {
            NodeCleanup.uninstall(config);
            NodeCleanup.assertNothingLeftBehind(POOL);
        }
    }

    @Test
    void l3l4PolicyIsEnforcedOnLiveTrafficAndWhileTheAgentIsAway() throws Exception {
        assertThat(awaitCode(8080, "200", 10_000)).as("before any policy selects the server").isEqualTo("200");
        Path policy = Files.writeString(dir.resolve("server.yaml"), ALLOW_8080);
        assertThat(cli.run("policy", "import", policy.toString()).exit()).isZero();

        long denied = dropped(DropReason.POLICY_DENIED);
        assertThat(awaitCode(8080, "200", 10_000)).as("the L4 allow").isEqualTo("200");
        assertThat(curl(9090)).as("another port of the same server").isEqualTo("000");
        assertThat(dropped(DropReason.POLICY_DENIED)).as("the SYNs were dropped by bpf_lxc").isGreaterThan(denied);
        assertThat(cli.run("bpf", "ct", "list").out()).contains(serverIp + ":8080");
        assertThat(cli.run("bpf", "policy", "list", "-o", "json").out()).contains("\"verdict\" : \"allow\"");

        Files.writeString(policy, ALLOW_8080.replace("port: \"8080\"", "port: \"9090\""));
        long start = System.nanoTime();
        assertThat(cli.run("policy", "import", policy.toString()).exit()).isZero();
        long applied = System.nanoTime();
        assertThat(awaitCode(9090, "200", 10_000)).as("the new policy on live traffic").isEqualTo("200");
        long flowing = System.nanoTime();
        System.out.printf("lxc: policy change applied in %d ms (import call), first connection through after %d ms%n",
                (applied - start) / 1_000_000, (flowing - start) / 1_000_000);
        assertThat(curl(8080)).as("8080 is no longer allowed").isEqualTo("000");

        agent.close();
        agent = null;
        assertThat(curl(9090)).as("allowed while the agent is away").isEqualTo("200");
        assertThat(curl(8080)).as("denied while the agent is away").isEqualTo("000");
        agent = Agent.start(AgentConfigLoader.load(config));
        assertThat(curl(9090)).as("after the restart").isEqualTo("200");
        assertThat(curl(8080)).as("still denied after the restart").isEqualTo("000");
        JsonNode status = JSON.readTree(cli.run("status", "-o", "json").out());
        assertThat(status.path("sidecar").path("lxcEndpoints").asInt()).isEqualTo(2);
        assertThat(status.path("sidecar").path("drops").path("policy denied").asLong()).isPositive();
    }

    /**
     * toCIDR and fromCIDR against a "world" namespace behind a veth uplink (198.20.0.0/16,
     * blackholed): the client may reach 198.20.1.0/28 only, and only 198.20.1.0/28 may reach the
     * server; 198.20.1.20, just outside, is refused both ways.
     */
    @Test
    void cidrPoliciesToAndFromTheWorld() throws Exception {
        try (WorldNetns world = new WorldNetns("198.20.0.0/16", "198.20.255.1", "198.20.1.10", "198.20.1.20")) {
            ProcessRunner.run(List.of("sysctl", "-qw", "net.ipv4.conf." + world.uplink + ".forwarding=1"));
            world.exec("ip", "route", "add", POOL, "via", world.hostAddress(), "dev", "eth0");
            // Endpoints route only the pool; these two also reach the world (answered by proxy ARP).
            for (String netns : new String[] {"pc-lxc-client", "pc-lxc-server"}) {
                ProcessRunner.run(List.of("ip", "-n", netns, "route", "add", "198.20.1.0/24", "dev", "eth0"));
            }
            Process worldServer = new ProcessBuilder("ip", "netns", "exec", world.name, "python3", "-m", "http.server",
                    "8080").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Path policy = Files.writeString(dir.resolve("cidr.yaml"), """
                    apiVersion: cilium.io/v2
                    kind: CiliumNetworkPolicy
                    metadata: {name: client-to-world}
                    spec:
                      endpointSelector: {matchLabels: {app: client}}
                      egress:
                        - toCIDR: [198.20.1.0/28]
                          toPorts: [{ports: [{port: "8080", protocol: TCP}]}]
                    ---
                    apiVersion: cilium.io/v2
                    kind: CiliumNetworkPolicy
                    metadata: {name: world-to-server}
                    spec:
                      endpointSelector: {matchLabels: {app: server}}
                      ingress:
                        - fromCIDR: [198.20.1.0/28]
                    """);
            try {
                assertThat(cli.run("policy", "import", policy.toString()).exit()).isZero();
                assertThat(awaitUrl("pc-lxc-client", null, "http://198.20.1.10:8080/", "200")).isEqualTo("200");
                assertThat(curlIn("pc-lxc-client", null, "http://198.20.1.20:8080/")).as("outside the toCIDR").isEqualTo("000");
                String server = "http://" + serverIp + ":9090/";
                assertThat(awaitUrl(world.name, "198.20.1.10", server, "200")).isEqualTo("200");
                assertThat(curlIn(world.name, "198.20.1.20", server)).as("outside the fromCIDR").isEqualTo("000");
            } finally {
                cli.run("policy", "delete", "client-to-world");
                cli.run("policy", "delete", "world-to-server");
                worldServer.destroy();
            }
        }
    }

    private static String curlIn(String netns, String source, String url) throws Exception {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", netns, "curl", "-s", "-o", "/dev/null", "-w",
                "%{http_code}", "--max-time", "2"));
        if (source != null) {
            argv.addAll(List.of("--interface", source));
        }
        argv.add(url);
        return ProcessRunner.run(argv).stdout().trim();
    }

    private static String awaitUrl(String netns, String source, String url, String wanted) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        String code;
        do {
            code = curlIn(netns, source, url);
            if (code.equals(wanted)) {
                return code;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return code;
    }

    private static long dropped(DropReason reason) {
        try (BpfMap<Integer, DropCounter> drops = BpfMap.openPinned(BpfFs.PIN_ROOT.resolve(MapNames.DROPS),
                StructCodec.U32, DropCounter.CODEC)) {
            return DropCounter.sum(drops.lookupPerCpu(reason.code()).orElseThrow()).packets();
        }
    }

    /** HTTP status of a GET from the client to the server's port ("000": no connection within 2 s). */
    private static String curl(int port) throws Exception {
        return ProcessRunner.run(List.of("ip", "netns", "exec", "pc-lxc-client", "curl", "-s", "-o", "/dev/null", "-w",
                "%{http_code}", "--max-time", "2", "http://" + serverIp + ":" + port + "/")).stdout().trim();
    }

    private static String awaitCode(int port, String wanted, long timeoutMs) throws Exception {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        String code;
        do {
            code = curl(port);
            if (code.equals(wanted)) {
                return code;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return code;
    }
}
