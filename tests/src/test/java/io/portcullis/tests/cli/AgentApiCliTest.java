package io.portcullis.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.portcullis.agent.Agent;
import io.portcullis.cli.Main;
import io.portcullis.config.AgentConfigLoader;
import io.portcullis.proxy.testing.RawClient;
import io.portcullis.tests.support.Cli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI against a running agent over its unix-socket API, as an operator would use it. */
class AgentApiCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Agent agent;
    static HttpServer backend;
    static Path socket;
    static Cli cli;
    static int backendPort;

    @BeforeAll
    static void start() throws IOException {
        backend = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 16);
        backend.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, 2);
            exchange.getResponseBody().write("ok".getBytes(StandardCharsets.UTF_8));
            exchange.close();
        });
        backend.start();
        backendPort = backend.getAddress().getPort();
        Files.createDirectories(dir.resolve("policies"));
        socket = dir.resolve("run/agent.sock");
        Path config = Files.writeString(dir.resolve("agent.yaml"), """
                policyDir: policies
                accessLog: off
                apiSocket: run/agent.sock
                endpoints:
                  - {name: web, labels: {app: web}, ips: [127.0.0.6]}
                  - {name: api, labels: {app: api}, ips: [127.0.0.2]}
                listeners:
                  - {port: 0, upstream: "127.0.0.2:%d"}
                """.formatted(backendPort));
        agent = Agent.start(AgentConfigLoader.load(config));
        cli = new Cli(socket);
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
        if (backend != null) {
            backend.stop(0);
        }
    }

    private static String policy(String name, String path) {
        return """
                apiVersion: cilium.io/v2
                kind: CiliumNetworkPolicy
                metadata: {name: %s}
                spec:
                  endpointSelector: {matchLabels: {app: api}}
                  ingress:
                    - fromEndpoints: [{matchLabels: {app: web}}]
                      toPorts:
                        - ports: [{port: "%d", protocol: TCP}]
                          rules: {http: [{method: GET, path: "%s"}]}
                """.formatted(name, backendPort, path);
    }

    @Test
    void statusReportsReadinessAsTextAndJson() throws IOException {
        Cli.Result text = cli.run("status");
        Cli.Result json = cli.run("status", "-o", "json");

        assertThat(text.exit()).isZero();
        assertThat(text.out()).contains("agent:      ready").contains("datapath:   none");
        JsonNode status = JSON.readTree(json.out());
        assertThat(status.path("ready").asBoolean()).isTrue();
        assertThat(status.path("listeners")).hasSize(1);
    }

    @Test
    void servicesNeedTheBpfDatapathAndStatusCountsNone() throws IOException {
        Cli.Result create = cli.run("service", "create", "web", "--vip", "10.96.0.10:80", "--backend", "127.0.0.2:80");
        Cli.Result list = cli.run("service", "list");

        assertThat(create.exit()).isEqualTo(1);
        assertThat(create.err()).contains("needs 'datapath: bpf'");
        assertThat(list.exit()).isEqualTo(1);
        assertThat(list.err()).contains("needs 'datapath: bpf'");
        assertThat(JSON.readTree(cli.run("status", "-o", "json").out()).path("services").asInt()).isZero();
        assertThat(cli.run("status").out()).contains("services:   0");
    }

    @Test
    void statusFailsWhenNoAgentListens() {
        StringWriter err = new StringWriter();
        int exit = Main.commandLine().setErr(new PrintWriter(err, true))
                .execute("status", "--socket", dir.resolve("nothing.sock").toString());

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("cannot reach the agent at").contains("nothing.sock");
    }

    @Test
    void importGetAndDeleteChangeWhatIsEnforced() throws Exception {
        Path file = Files.writeString(dir.resolve("web-to-api.yaml"), policy("web-to-api", "/v1/.*"));

        Cli.Result imported = cli.run("policy", "import", file.toString());
        assertThat(imported.exit()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("imported [default/web-to-api]");
        assertThat(status("127.0.0.6", "/v1/items")).isEqualTo(200);
        assertThat(status("127.0.0.6", "/v2/items")).isEqualTo(403);

        JsonNode listed = JSON.readTree(cli.run("policy", "get", "-o", "json").out());
        assertThat(listed.findValuesAsText("name")).contains("web-to-api");

        Cli.Result deleted = cli.run("policy", "delete", "web-to-api");
        assertThat(deleted.exit()).as(deleted.err()).isZero();
        assertThat(JSON.readTree(cli.run("policy", "get", "-o", "json").out()).findValuesAsText("name"))
                .doesNotContain("web-to-api");
    }

    @Test
    void anImportReportsItsWarningsAndDeleteNamesTheNamespace() throws Exception {
        Path file = Files.writeString(dir.resolve("dual-stack.yaml"), policy("dual-stack", "/v1/.*").replace(
                "    - fromEndpoints: [{matchLabels: {app: web}}]\n",
                "    - fromEndpoints: [{matchLabels: {app: web}}]\n    - fromCIDR: [\"2001:db8::/32\"]\n")
                .replace("metadata: {name: dual-stack}", "metadata: {name: dual-stack, namespace: shop}"));

        Cli.Result imported = cli.run("policy", "import", file.toString());
        assertThat(imported.exit()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("imported [shop/dual-stack]");
        assertThat(imported.err()).contains("warning: dual-stack.yaml:").contains("IPv6 prefix 2001:db8::/32");
        assertThat(cli.run("policy", "get").out()).containsPattern("shop +dual-stack +CiliumNetworkPolicy");

        assertThat(cli.run("policy", "delete", "dual-stack", "--namespace", "other").exit()).isEqualTo(1);
        Cli.Result deleted = cli.run("policy", "delete", "dual-stack", "--namespace", "shop");
        assertThat(deleted.exit()).as(deleted.err()).isZero();
        assertThat(deleted.out()).startsWith("deleted shop/dual-stack");
    }

    @Test
    void anInvalidImportIsRefusedWithItsLocationAndChangesNothing() throws IOException {
        long before = agent.policyRevision();
        Path file = Files.writeString(dir.resolve("broken.yaml"), policy("broken", "/(open"));

        Cli.Result run = cli.run("policy", "import", file.toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("broken.yaml:10:").contains("rules.http[0].path");
        assertThat(agent.policyRevision()).isEqualTo(before);
        assertThat(Files.exists(dir.resolve("policies/broken.yaml"))).isFalse();
    }

    @Test
    void identityListShowsEndpointsAndReservedIdentities() throws IOException {
        status("127.0.0.6", "/v1/x");
        JsonNode identities = JSON.readTree(cli.run("identity", "list", "-o", "json").out());

        assertThat(identities.findValues("identity").stream().map(JsonNode::asInt)).contains(1, 2);
        assertThat(identities.toString()).contains("\"k8s:app\":\"web\"").contains("\"k8s:app\":\"api\"")
                .contains("\"k8s:io.kubernetes.pod.namespace\":\"default\"");
    }

    @Test
    void monitorStreamsDecisionsAsTheyHappen() throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Writer sink = new Writer() {
            private final StringBuilder line = new StringBuilder();

            @Override
            public void write(char[] chars, int off, int len) {
                for (int i = off; i < off + len; i++) {
                    if (chars[i] == '\n') {
                        lines.add(line.toString());
                        line.setLength(0);
                    } else {
                        line.append(chars[i]);
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Thread monitor = new Thread(() -> Main.commandLine().setOut(new PrintWriter(sink, true))
                .execute("monitor", "-o", "json", "--socket", socket.toString()));
        monitor.setDaemon(true);
        monitor.start();
        Thread.sleep(300);

        status("127.0.0.6", "/monitored");

        String line = lines.poll(5, TimeUnit.SECONDS);
        assertThat(line).isNotNull();
        JsonNode record = JSON.readTree(line);
        assertThat(record.path("http").path("url").asText()).isEqualTo("/monitored");
        assertThat(record.path("source").path("endpoint").asText()).isEqualTo("web");
    }

    private static int status(String source, String path) throws IOException {
        try (RawClient client = new RawClient(source, agent.listenAddresses().get(0))) {
            return client.send("GET " + path + " HTTP/1.1\r\nHost: api\r\n\r\n").read().status();
        }
    }
}
