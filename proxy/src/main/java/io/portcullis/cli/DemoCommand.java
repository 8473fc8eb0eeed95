package io.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.portcullis.agent.Agent;
import io.portcullis.agent.endpoint.EndpointCleanup;
import io.portcullis.bpf.BpfFs;
import io.portcullis.bpf.NetNs;
import io.portcullis.config.AgentConfig;
import io.portcullis.config.AgentConfigLoader;
import io.portcullis.proxy.accesslog.AccessLogEntry;
import io.portcullis.proxy.accesslog.AccessLogSubscribers.Subscription;
import io.portcullis.redirect.SteeringCgroups;
import io.portcullis.redirect.Uninstaller;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The main job, end to end on one machine: the agent with the BPF datapath, four workloads as
 * endpoints (network namespaces with their own labels), the shipped example policy, an API
 * backend inside the {@code api} endpoint, and unmodified curl run inside the other endpoints
 * against the backend's real address. The kernel steers what needs L7 policy into the proxy and
 * refuses what the policy denies at connect; each verdict is printed with its access-log record.
 * Everything the demo created is removed at the end.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start the agent with the BPF datapath, create endpoints, apply the example policy, send real "
                + "requests from each workload and show each verdict with its access-log record; then clean up.")
final class DemoCommand implements java.util.concurrent.Callable<Integer> {
    private static final String POLICY = "/io/portcullis/config/examples/policies/http-api.yaml";
    /** An invented range the agent blackholes; the first address is the node's (and the proxy's). */
    private static final String POOL = "10.209.0.0/24";

    @Spec
    CommandSpec spec;

    @Option(names = "--backend-port", defaultValue = "80", description = "the API backend's port inside the api "
            + "endpoint (the example policy's L7 rules are on port 80)")
    int backendPort;

    private record Call(String workload, String method, String path, String expectation) {
    }

    private static final Map<String, String> WORKLOADS = Map.of("frontend", "role=frontend", "admin", "role=admin",
            "stranger", "role=stranger", "api", "app=api");

    private static final List<Call> CALLS = List.of(
            new Call("frontend", "GET", "/public/catalog", "public read"),
            new Call("frontend", "GET", "/health", "health check"),
            new Call("frontend", "GET", "/admin/users", "not a public path"),
            new Call("frontend", "DELETE", "/public/catalog", "frontends may only GET"),
            new Call("frontend", "GET", "/public/../admin/users", "dot segments are resolved first"),
            new Call("admin", "DELETE", "/public/catalog", "admins may do anything"),
            new Call("stranger", "GET", "/public/catalog", "no rule admits role=stranger: refused at connect"));

    @Override
    public Integer call() throws Exception {
        if (agentRunning()) {
            throw new IllegalStateException("a Portcullis agent is running on this node (" + AgentConfig.DEFAULT_API_SOCKET
                    + "); the demo replaces the node's datapath: stop the agent and run 'portcullis uninstall' first");
        }
        PrintWriter out = spec.commandLine().getOut();
        Path dir = Files.createTempDirectory("portcullis-demo");
        Path config = writeConfig(dir);
        HttpServer backend = null;
        try (Agent agent = Agent.start(AgentConfigLoader.load(config))) {
            ApiClient api = new ApiClient(dir.resolve("agent.sock"));
            Map<String, JsonNode> endpoints = new java.util.TreeMap<>();
            for (String name : List.of("api", "frontend", "admin", "stranger")) {
                endpoints.put(name, createEndpoint(api, name, WORKLOADS.get(name)));
            }
            JsonNode apiEndpoint = endpoints.get("api");
            backend = backend(apiEndpoint.path("netns").asText(), apiEndpoint.path("ip").asText(), backendPort);
            out.println("Portcullis demo: agent with datapath bpf, proxy on " + agent.listenAddresses().stream()
                    .map(a -> a.getAddress().getHostAddress() + ":" + a.getPort()).findFirst().orElse("?")
                    + ", policy " + POLICY.substring(POLICY.lastIndexOf('/') + 1) + " (revision "
                    + agent.policyRevision() + ")");
            for (JsonNode e : endpoints.values()) {
                out.printf("endpoint %-9s %-12s identity %-5s %s%n", e.path("name").asText(), e.path("ip").asText(),
                        e.path("identity").asText(), WORKLOADS.get(e.path("name").asText()));
            }
            out.println("curl runs inside each endpoint against api's real address http://"
                    + apiEndpoint.path("ip").asText() + ":" + backendPort + "; the kernel steers it into the proxy");
            out.println();
            BlockingQueue<AccessLogEntry> records = new LinkedBlockingQueue<>();
            try (Subscription ignored = agent.accessLogSubscribers().subscribe(records::offer)) {
                for (Call call : CALLS) {
                    run(out, call, endpoints.get(call.workload()), apiEndpoint.path("ip").asText(), records);
                }
            }
            out.println();
            for (String name : endpoints.keySet()) {
                api.call("DELETE", "/v1/endpoints/" + name, new byte[0]);
            }
        } finally {
            if (backend != null) {
                backend.stop(0);
            }
            Uninstaller.uninstall(BpfFs.PIN_ROOT, SteeringCgroups.node());
            EndpointCleanup.removeAll(dir.resolve("state"), POOL);
            deleteTree(dir);
            out.println("cleaned up: agent stopped, endpoints deleted, BPF programs detached and unpinned");
        }
        return ExitCodes.OK;
    }

    /** The datapath is node-wide: the demo must not take it over from a running agent. */
    private static boolean agentRunning() {
        if (!Files.exists(AgentConfig.DEFAULT_API_SOCKET)) {
            return false;
        }
        try {
            return new ApiClient(AgentConfig.DEFAULT_API_SOCKET).get("/v1/status").ok();
        } catch (IOException e) {
            return false; // a stale socket file: nobody answers
        }
    }

    private static JsonNode createEndpoint(ApiClient api, String name, String labels) throws IOException {
        String[] kv = labels.split("=");
        byte[] body = ("{\"labels\":{\"" + kv[0] + "\":\"" + kv[1] + "\"}}").getBytes(StandardCharsets.UTF_8);
        ApiClient.Reply reply = api.call("PUT", "/v1/endpoints/" + name, body);
        if (!reply.ok()) {
            throw new IOException("cannot create endpoint " + name + ": " + reply.error());
        }
        return reply.body();
    }

    private void run(PrintWriter out, Call call, JsonNode endpoint, String apiIp, BlockingQueue<AccessLogEntry> records)
            throws IOException, InterruptedException {
        records.clear();
        // What 'portcullis endpoint exec' does: join the endpoint's cgroup, then its network namespace.
        Process curl = new ProcessBuilder("sh", "-c", "echo $$ > \"$0/cgroup.procs\" && exec \"$@\"",
                endpoint.path("cgroup").asText(), "ip", "netns", "exec", endpoint.path("netns").asText(),
                "curl", "-sS", "--path-as-is", "--max-time", "5", "-X", call.method(), "-o", "/dev/null",
                "-w", "%{http_code}", "http://" + apiIp + ":" + backendPort + call.path())
                .redirectErrorStream(true).start();
        String result = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        curl.waitFor(10, TimeUnit.SECONDS);
        String outcome = curl.exitValue() == 7 ? "refused (connect failed: denied by policy)"
                : curl.exitValue() != 0 || result.startsWith("000") ? "failed (" + result + ")" : "HTTP " + result;
        out.printf("%-9s %-6s %-24s -> %-28s %s%n", call.workload(), call.method(), call.path(), outcome,
                "(" + call.expectation() + ")");
        AccessLogEntry record = records.poll(2, TimeUnit.SECONDS);
        if (record != null) {
            out.println("          " + record.toJson());
        }
    }

    /** The API backend, bound inside the api endpoint's network namespace. */
    private static HttpServer backend(String netns, String ip, int port) throws Exception {
        HttpServer server = NetNs.call(NetNs.named(netns), () -> HttpServer.create(new InetSocketAddress(ip, port), 64));
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
                datapath: bpf
                policyDir: policies
                accessLog: off
                apiSocket: agent.sock
                stateDir: state
                endpointPool: %s
                """.formatted(POOL));
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
