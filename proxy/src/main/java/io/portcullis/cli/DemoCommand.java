package io.portcullis.cli;

import com.sun.net.httpserver.HttpServer;
import io.portcullis.agent.Agent;
import io.portcullis.config.AgentConfigLoader;
import io.portcullis.proxy.accesslog.AccessLogEntry;
import io.portcullis.proxy.accesslog.AccessLogSubscribers.Subscription;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The main job, end to end on one machine: an API backend, the agent in front of it with the
 * shipped example policy, and curl speaking as three workloads told apart by their loopback
 * source address. Prints each verdict with its access-log record, then removes everything.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start the agent with the example policy, send real requests as different workloads, "
                + "show each verdict and its access-log record.")
final class DemoCommand implements java.util.concurrent.Callable<Integer> {
    private static final String POLICY = "/io/portcullis/config/examples/policies/http-api.yaml";

    @Spec
    CommandSpec spec;

    @Option(names = "--backend-port", defaultValue = "80", description = "the API backend's port on 127.0.0.2 "
            + "(the example policy allows port 80)")
    int backendPort;

    private record Call(String workload, String source, String method, String path, String expectation) {
    }

    private static final List<Call> CALLS = List.of(
            new Call("frontend", "127.0.0.3", "GET", "/public/catalog", "public read"),
            new Call("frontend", "127.0.0.3", "GET", "/health", "health check"),
            new Call("frontend", "127.0.0.3", "GET", "/admin/users", "not a public path"),
            new Call("frontend", "127.0.0.3", "DELETE", "/public/catalog", "frontends may only GET"),
            new Call("frontend", "127.0.0.3", "GET", "/public/../admin/users", "dot segments are resolved first"),
            new Call("admin", "127.0.0.4", "DELETE", "/public/catalog", "admins may do anything"),
            new Call("stranger", "127.0.0.5", "GET", "/public/catalog", "no identity the policy knows"));

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = Files.createTempDirectory("portcullis-demo");
        HttpServer backend = backend(backendPort);
        try {
            Path config = writeConfig(dir);
            try (Agent agent = Agent.start(AgentConfigLoader.load(config))) {
                BlockingQueue<AccessLogEntry> records = new LinkedBlockingQueue<>();
                try (Subscription ignored = agent.accessLogSubscribers().subscribe(records::offer)) {
                    int port = agent.listenAddresses().get(0).getPort();
                    out.println("Portcullis demo: agent on 127.0.0.1:" + port + " in front of api at 127.0.0.2:"
                            + backendPort + ", policy " + POLICY.substring(POLICY.lastIndexOf('/') + 1)
                            + " (revision " + agent.policyRevision() + ")");
                    out.println("workloads: frontend 127.0.0.3 {role=frontend}, admin 127.0.0.4 {role=admin}, "
                            + "api 127.0.0.2 {app=api}, stranger 127.0.0.5 (world)");
                    out.println();
                    for (Call call : CALLS) {
                        run(out, call, port, records);
                    }
                }
            }
        } finally {
            backend.stop(0);
            deleteTree(dir);
        }
        return ExitCodes.OK;
    }

    private void run(PrintWriter out, Call call, int port, BlockingQueue<AccessLogEntry> records)
            throws IOException, InterruptedException {
        records.clear();
        Process curl = new ProcessBuilder("curl", "-sS", "--path-as-is", "--max-time", "5", "--interface",
                call.source(), "-X", call.method(), "-o", "/dev/null", "-w", "%{http_code}",
                "http://127.0.0.1:" + port + call.path()).redirectErrorStream(true).start();
        String result = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        curl.waitFor(10, TimeUnit.SECONDS);
        String outcome = result.startsWith("000") || curl.exitValue() != 0
                ? "refused (connection closed)" : "HTTP " + result;
        out.printf("%-9s %-6s %-24s -> %-28s %s%n", call.workload(), call.method(), call.path(), outcome,
                "(" + call.expectation() + ")");
        AccessLogEntry record = records.poll(2, TimeUnit.SECONDS);
        if (record != null) {
            out.println("          " + record.toJson());
        }
    }

    private static HttpServer backend(int port) throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.2", port), 64);
        } catch (IOException e) {
            throw new IOException("cannot start the demo backend on 127.0.0.2:" + port + " (" + e.getMessage()
                    + "); run as root, or free that port", e);
        }
        server.createContext("/", exchange -> {
            byte[] body = ("api: " + exchange.getRequestMethod() + " " + exchange.getRequestURI() + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private Path writeConfig(Path dir) throws IOException {
        Path policies = Files.createDirectories(dir.resolve("policies"));
        try (InputStream policy = DemoCommand.class.getResourceAsStream(POLICY)) {
            if (policy == null) {
                throw new IOException("the example policy " + POLICY + " is missing from the jar");
            }
            Files.copy(policy, policies.resolve("http-api.yaml"));
        }
        return Files.writeString(dir.resolve("agent.yaml"), """
                datapath: none
                policyDir: policies
                accessLog: off
                endpoints:
                  - {name: frontend, labels: {role: frontend}, ips: [127.0.0.3]}
                  - {name: admin, labels: {role: admin}, ips: [127.0.0.4]}
                  - {name: api, labels: {app: api}, ips: [127.0.0.2]}
                listeners:
                  - {port: 0, upstream: "127.0.0.2:%d"}
                """.formatted(backendPort));
    }

    private static void deleteTree(Path dir) throws IOException {
        List<Path> paths = new ArrayList<>();
        try (var walk = Files.walk(dir)) {
            walk.forEach(paths::add);
        }
        for (int i = paths.size() - 1; i >= 0; i--) {
            Files.deleteIfExists(paths.get(i));
        }
    }
}
