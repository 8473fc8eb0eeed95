package io.portcullis.tests.steering;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.tests.support.NodeCleanup;
import io.portcullis.tests.support.Privileges;
import io.portcullis.tests.support.ProcessRunner;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent and the proxy stop and start again under running workloads. While the agent is down,
 * the proxy keeps judging with the policy it had and plain L4 flows keep working; the next agent
 * adopts the running proxy. While the proxy is down, connections that need L7 policy are refused
 * (never passed unproxied) until the agent has started a new one.
 */
class AgentRestartTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POOL = "10.231.0.0/24";
    /** Echoes each line on port 9090 (plain L4 for client-a in the test policy). */
    private static final String ECHO_SERVER = """
            import socket, threading
            s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(('%s', 9090)); s.listen(16)
            def serve(c):
                f = c.makefile('rwb')
                for line in f:
                    f.write(line); f.flush()
            while True:
                c, _ = s.accept(); threading.Thread(target=serve, args=(c,), daemon=True).start()
            """;
    /** Connects once, then sends each stdin line and prints the echo. */
    private static final String ECHO_CLIENT = """
            import socket, sys
            c = socket.create_connection(('%s', 9090)); f = c.makefile('rwb')
            for line in sys.stdin:
                f.write(line.encode()); f.flush(); print(f.readline().decode().strip(), flush=True)
            """;

    @TempDir
    static Path dir;
    static SteeringNode node;
    static JsonNode server;
    static JsonNode clientA;
    static Process echoServer;

    @BeforeAll
    static void start() throws Exception {
        Privileges.requireRoot("endpoints are namespaces and cgroups; steering is BPF");
        node = new SteeringNode(dir, POOL, false);
        server = node.endpoint("server", "app=server");
        clientA = node.endpoint("client-a", "role=client-a");
        node.httpServer(server, 8080);
        echoServer = new ProcessBuilder("ip", "netns", "exec", server.path("netns").asText(), "python3", "-c",
                ECHO_SERVER.formatted(server.path("ip").asText())).redirectErrorStream(true).start();
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (echoServer != null) {
            echoServer.destroy();
        }
        if (node != null) {
            node.close();
            NodeCleanup.assertNothingLeftBehind(POOL);
        }
    }

    private static String url(String path) {
        return "http://" + server.path("ip").asText() + ":8080" + path;
    }

    @Test
    void theProxyKeepsEnforcingWhileTheAgentIsDownAndIsAdoptedAfterARestart() throws Exception {
        Process client = new ProcessBuilder("java", "-cp", System.getProperty("java.class.path"),
                "io.portcullis.cli.Main", "endpoint", "exec", "--socket", dir.resolve("run/agent.sock").toString(),
                "client-a", "--", "python3", "-c", ECHO_CLIENT.formatted(server.path("ip").asText())).start();
        try (Writer toClient = new OutputStreamWriter(client.getOutputStream(), StandardCharsets.UTF_8);
                BufferedReader fromClient = new BufferedReader(new InputStreamReader(client.getInputStream(),
                        StandardCharsets.UTF_8))) {
            assertThat(echo(toClient, fromClient, "before")).isEqualTo("before");
            assertThat(node.curl("client-a", url("/public/hello")).stdout()).isEqualTo("200");
            int identity = clientA.path("identity").asInt();
            long proxy = node.proxyPid();

            node.stopAgentLeavingProxy();
            int requestsBefore = node.httpServerRequests(8080);
            assertThat(curlWithoutAgent("/public/hello").stdout()).as("allowed, judged by the running proxy")
                    .isEqualTo("200");
            assertThat(curlWithoutAgent("/private/secret").stdout()).as("denied, judged by the running proxy")
                    .isEqualTo("403");
            assertThat(node.httpServerRequests(8080)).as("only the allowed request reached the server")
                    .isEqualTo(requestsBefore + 1);
            assertThat(echo(toClient, fromClient, "during")).as("the open L4 connection").isEqualTo("during");

            node.startAgent();
            assertThat(node.proxyPid()).as("the new agent adopted the running proxy").isEqualTo(proxy);
            assertThat(node.endpoint("client-a").path("identity").asInt()).isEqualTo(identity);
            assertThat(node.curl("client-a", url("/public/hello")).stdout()).isEqualTo("200");
            assertThat(node.curl("client-a", url("/private/secret")).stdout()).isEqualTo("403");
            assertThat(echo(toClient, fromClient, "after")).as("the L4 connection opened before the restart")
                    .isEqualTo("after");
        } finally {
            client.destroy();
            client.waitFor(5, TimeUnit.SECONDS);
        }
        assertThat(ProcessRunner.run(List.of("ip", "netns", "list")).stdout()).contains("pc-client-a");
    }

    @Test
    void l7IsRefusedWhileTheProxyIsDownUntilTheAgentStartedANewOne() throws Exception {
        long killed = node.proxyPid();
        int requestsBefore = node.httpServerRequests(8080);
        long start = System.nanoTime();
        ProcessHandle.of(killed).orElseThrow().destroyForcibly();
        ProcessRunner.Result refused = curlWithoutAgent("/private/secret");
        assertThat(refused.exitCode()).as("refused: nobody listens on the proxy port").isEqualTo(7);
        assertThat(node.httpServerRequests(8080)).as("nothing reached the server unproxied").isEqualTo(requestsBefore);

        String status = "";
        while (!status.equals("200") && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(60)) {
            status = curlWithoutAgent("/public/hello").stdout();
        }
        System.out.println("proxy killed: L7 served again after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime()
                - start) + " ms");
        assertThat(status).as("a new proxy serves").isEqualTo("200");
        assertThat(node.proxyPid()).isNotEqualTo(killed);
        assertThat(node.curl("client-a", url("/private/secret")).stdout()).isEqualTo("403");
        assertThat(JSON.readTree(node.cli.run("status", "-o", "json").out()).at("/proxy/restarts").asInt())
                .as("the restart shows in status").isEqualTo(1);
    }

    private static ProcessRunner.Result curlWithoutAgent(String path) throws Exception {
        return node.execWithoutAgent(clientA, "curl", "-sS", "--max-time", "5", "-o", "/dev/null", "-w",
                "%{http_code}", url(path));
    }

    private static String echo(Writer to, BufferedReader from, String line) throws Exception {
        to.write(line + "\n");
        to.flush();
        return from.readLine();
    }
}
