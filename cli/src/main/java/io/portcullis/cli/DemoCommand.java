package io.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.portcullis.agent.Agent;
import io.portcullis.agent.endpoint.EndpointCleanup;
import io.portcullis.bpf.BpfFs;
import io.portcullis.bpf.NetNs;
import io.portcullis.config.AgentConfig;
import io.portcullis.config.AgentConfigLoader;
import io.portcullis.agent.proxy.AccessLogStream.Subscription;
import io.portcullis.redirect.SteeringCgroups;
import io.portcullis.redirect.Uninstaller;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The main job, end to end on one machine: the agent with the BPF datapath, workloads as
 * endpoints (network namespaces with their own labels), the shipped example policies, and real
 * servers inside endpoints: an API backend, a grpc-java greeter and a KRaft Kafka broker (the
 * latter two from the workloads jar, see {@link WorkloadsClasspath}). Unmodified clients (curl,
 * the grpc-java greeter client, kcat) run inside the other endpoints against the servers' real
 * addresses. The kernel steers what needs L7 policy into the proxy and refuses what the policy
 * denies at connect; each verdict is printed with its access-log records. Everything the demo
 * started or created is stopped and removed at the end, also when it fails.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start the agent with the BPF datapath, create endpoints, apply the example policies, send real "
                + "HTTP, gRPC and Kafka requests from each workload and show each verdict with its access-log "
                + "records; then clean up.")
final class DemoCommand implements java.util.concurrent.Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POLICIES = "/io/portcullis/config/examples/policies/";
    private static final List<String> POLICY_FILES = List.of("http-api.yaml", "grpc-kafka.yaml");
    /** An invented range the agent blackholes; the first address is the node's (and the proxy's). */
    private static final String POOL = "10.209.0.0/24";
    /** The broker's start (a JVM, KRaft formatting and election) dominates the demo's run time. */
    private static final Duration SERVER_START = Duration.ofSeconds(90);
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(20);
    /** A call's records are in once none has come for this long after its client exited. */
    private static final Duration RECORDS_QUIET = Duration.ofMillis(250);

    @Spec
    CommandSpec spec;

    @Option(names = "--backend-port", defaultValue = "80", description = "the API backend's port inside the api "
            + "endpoint (the example policy's L7 rules are on port 80)")
    int backendPort;

    /** Each endpoint's label, as the example policies select them. */
    private static final Map<String, String> WORKLOADS = Map.of("frontend", "role=frontend", "admin", "role=admin",
            "stranger", "role=stranger", "api", "app=api", "greeter", "app=greeter", "client", "app=client",
            "kafka", "app=kafka", "producer", "role=producer", "consumer", "role=consumer");

    @Override
    public Integer call() throws Exception {
        if (agentRunning()) {
            throw new IllegalStateException("a Portcullis agent is running on this node (" + AgentConfig.DEFAULT_API_SOCKET
                    + "); the demo replaces the node's datapath: stop the agent and run 'portcullis uninstall' first");
        }
        String workloads = WorkloadsClasspath.resolve();
        PrintWriter out = spec.commandLine().getOut();
        Path dir = Files.createTempDirectory("portcullis-demo");
        Path config = writeConfig(dir);
        HttpServer backend = null;
        List<EndpointProcess> servers = new ArrayList<>();
        try (Agent agent = Agent.start(AgentConfigLoader.load(config))) {
            ApiClient api = new ApiClient(dir.resolve("agent.sock"));
            Map<String, JsonNode> endpoints = new java.util.TreeMap<>();
            for (String name : WORKLOADS.keySet()) {
                endpoints.put(name, createEndpoint(api, name, WORKLOADS.get(name)));
            }
            String greeterIp = endpoints.get("greeter").path("ip").asText();
            String kafkaIp = endpoints.get("kafka").path("ip").asText();
            // Both JVMs start now and get ready while the HTTP calls run.
            EndpointProcess greeter = EndpointProcess.start("greeter", endpoints.get("greeter"), WorkloadsClasspath.java(
                    workloads, DemoCalls.GREETER_SERVER, greeterIp, String.valueOf(DemoCalls.GRPC_PORT)), dir);
            servers.add(greeter);
            EndpointProcess broker = EndpointProcess.start("kafka", endpoints.get("kafka"), WorkloadsClasspath.java(
                    workloads, DemoCalls.KAFKA_BROKER, kafkaIp, String.valueOf(DemoCalls.KAFKA_PORT), "orders", "audit"),
                    dir);
            servers.add(broker);
            JsonNode apiEndpoint = endpoints.get("api");
            String apiIp = apiEndpoint.path("ip").asText();
            backend = backend(apiEndpoint.path("netns").asText(), apiIp, backendPort);
            out.println("Portcullis demo: agent with datapath bpf, proxy on " + agent.listenAddresses().stream()
                    .map(a -> a.getAddress().getHostAddress() + ":" + a.getPort()).findFirst().orElse("?")
                    + ", policies " + String.join(", ", POLICY_FILES) + " (revision " + agent.policyRevision() + ")");
            for (JsonNode e : endpoints.values()) {
                out.printf("endpoint %-9s %-12s identity %-5s %s%n", e.path("name").asText(), e.path("ip").asText(),
                        e.path("identity").asText(), WORKLOADS.get(e.path("name").asText()));
            }
            BlockingQueue<String> records = new LinkedBlockingQueue<>();
            try (Subscription ignored = agent.accessLog().subscribe(records::offer)) {
                out.println();
                out.println("curl runs inside each endpoint against api's real address http://" + apiIp + ":"
                        + backendPort + "; the kernel steers it into the proxy");
                run(out, DemoCalls.http(apiIp, backendPort), endpoints, records, dir);
                greeter.awaitReady(SERVER_START);
                out.println();
                out.println("a grpc-java client runs inside client against greeter's real address " + greeterIp + ":"
                        + DemoCalls.GRPC_PORT + " (a dual-stack socket: connect6 steers it)");
                run(out, DemoCalls.grpc(workloads, greeterIp), endpoints, records, dir);
                broker.awaitReady(SERVER_START);
                out.println();
                out.println("kcat runs inside producer and consumer against the KRaft broker's real address " + kafkaIp
                        + ":" + DemoCalls.KAFKA_PORT + " (topics orders, audit)");
                run(out, DemoCalls.kafka(kafkaIp), endpoints, records, dir);
            }
            out.println();
            stop(servers);
            for (String name : endpoints.keySet()) {
                api.call("DELETE", "/v1/endpoints/" + name, new byte[0]);
            }
        } finally {
            // Workloads first: an endpoint's cgroup cannot be removed while they run in it.
            stop(servers);
            if (backend != null) {
                backend.stop(0);
            }
            Uninstaller.uninstall(BpfFs.PIN_ROOT, SteeringCgroups.node());
            EndpointCleanup.removeAll(dir.resolve("state"), POOL);
            deleteTree(dir);
            out.println("cleaned up: agent and workloads stopped, endpoints deleted, BPF programs detached and unpinned");
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

    /** Runs each call's client inside its endpoint; prints the outcome, the expectation and the call's records. */
    private static void run(PrintWriter out, List<DemoCall> calls, Map<String, JsonNode> endpoints,
                            BlockingQueue<String> records, Path dir) throws IOException, InterruptedException {
        for (DemoCall call : calls) {
            records.clear();
            EndpointProcess.Result result = EndpointProcess.run(endpoints.get(call.workload()), call.command(),
                    call.stdin(), CLIENT_TIMEOUT, dir);
            out.printf("%-9s %-6s %-29s -> %-28s %s%n", call.workload(), call.protocol(), call.target(),
                    call.outcome().apply(result), "(" + call.expectation() + ")");
            List<JsonNode> made = new ArrayList<>();
            for (String record = records.poll(RECORDS_QUIET.toMillis(), TimeUnit.MILLISECONDS); record != null;
                    record = records.poll(RECORDS_QUIET.toMillis(), TimeUnit.MILLISECONDS)) {
                made.add(JSON.readTree(record));
            }
            for (Predicate<JsonNode> shown : call.records()) {
                made.stream().filter(shown).findFirst().ifPresent(record -> out.println("          " + record));
            }
        }
    }

    /** Stops the servers side by side (the broker takes seconds); each is stopped once. */
    private static void stop(List<EndpointProcess> servers) throws InterruptedException {
        servers.forEach(EndpointProcess::signalStop);
        for (EndpointProcess server : servers) {
            server.close();
        }
        servers.clear();
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
        for (String file : POLICY_FILES) {
            try (InputStream policy = DemoCommand.class.getResourceAsStream(POLICIES + file)) {
                if (policy == null) {
                    throw new IOException("the example policy " + POLICIES + file + " is missing from the jar");
                }
                Files.copy(policy, policies.resolve(file));
            }
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
