package io.portcullis.tests.steering;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.api.control.ControlClient;
import io.portcullis.agent.Agent;
import io.portcullis.config.AgentConfigLoader;
import io.portcullis.tests.support.AccessLogFile;
import io.portcullis.tests.support.Cli;
import io.portcullis.tests.support.NodeCleanup;
import io.portcullis.tests.support.ProcessRunner;
import io.portcullis.workloads.grpc.GreeterServerMain;
import io.portcullis.workloads.kafka.KafkaBrokerMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A node for steering tests: the agent in this JVM with {@code datapath: bpf} on an invented pool
 * (blackholed by the agent), the test policy, endpoints created through the CLI, servers started
 * inside endpoints, and real clients run inside endpoints with {@code endpoint exec}.
 * {@link #close} deletes the endpoints, stops the agent and runs {@code portcullis uninstall}.
 */
final class SteeringNode implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * server (app=server) accepts on 8080 GET /public/* from client-a and also GET /private/* from
     * client-b (L7: steered to the proxy), plain 9090 from client-a (L4: never steered), nothing
     * else (7070 is refused at connect).
     */
    static final String POLICY = """
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata:
              name: server-ingress
            spec:
              endpointSelector: {matchLabels: {app: server}}
              ingress:
                - fromEndpoints: [{matchLabels: {role: client-a}}]
                  toPorts:
                    - ports: [{port: "8080", protocol: TCP}]
                      rules:
                        http:
                          - {method: GET, path: "/public/.*"}
                    - ports: [{port: "9090", protocol: TCP}]
                - fromEndpoints: [{matchLabels: {role: client-b}}]
                  toPorts:
                    - ports: [{port: "8080", protocol: TCP}]
                      rules:
                        http:
                          - {method: GET, path: "/public/.*"}
                          - {method: GET, path: "/private/.*"}
            """;

    final Path dir;
    final Path config;
    final String pool;
    private final boolean socketRedirect;
    final Cli cli;
    final AccessLogFile accessLog;
    Agent agent;
    private final List<Process> servers = new ArrayList<>();

    SteeringNode(Path dir, String pool, boolean socketRedirect) throws IOException {
        this(dir, pool, socketRedirect, POLICY);
    }

    /** A node whose policy directory holds {@code policy}. */
    SteeringNode(Path dir, String pool, boolean socketRedirect, String policy) throws IOException {
        this(dir, pool, socketRedirect, policy, "");
    }

    /** A node whose policy directory holds {@code policy} and whose config ends with {@code moreConfig}. */
    SteeringNode(Path dir, String pool, boolean socketRedirect, String policy, String moreConfig) throws IOException {
        this.dir = dir;
        this.pool = pool;
        this.socketRedirect = socketRedirect;
        Files.createDirectories(dir.resolve("policies"));
        Files.writeString(dir.resolve("policies/server.yaml"), policy);
        config = dir.resolve("agent.yaml");
        writeConfig(moreConfig);
        cli = new Cli(dir.resolve("run/agent.sock"));
        accessLog = new AccessLogFile(dir.resolve("access.log"));
        startAgent();
    }

    /** Writes the agent's config, ending with {@code moreConfig}; a restart of the agent reads it. */
    void writeConfig(String moreConfig) throws IOException {
        Files.writeString(config, """
                datapath: bpf
                policyDir: policies
                accessLog: access.log
                apiSocket: run/agent.sock
                stateDir: state
                endpointPool: %s
                bpf: {socketRedirect: %s}
                """.formatted(pool, socketRedirect) + moreConfig);
    }

    void startAgent() throws IOException {
        agent = Agent.start(AgentConfigLoader.load(config));
    }

    /**
     * Writes {@code content} to {@code policies/FILE} and waits until the agent loaded it without
     * errors and the proxy judges by it.
     */
    void applyPolicy(String file, String content) throws Exception {
        long revision = agent.policyRevision();
        Files.writeString(dir.resolve("policies").resolve(file), content);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (agent.policyRevision() == revision) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("policy " + file + " not applied within 5 s; errors: "
                        + agent.policyErrors());
            }
            Thread.sleep(20);
        }
        if (!agent.policyErrors().isEmpty()) {
            throw new AssertionError("policy errors: " + agent.policyErrors());
        }
        if (!agent.awaitProxyApplied(Duration.ofSeconds(5))) {
            throw new AssertionError("the proxy does not judge by policy revision " + agent.policyRevision());
        }
    }

    /** Stops the agent and its proxy. */
    void stopAgent() {
        agent.close();
        agent = null;
    }

    /** Stops the agent as {@code portcullis agent} does on SIGTERM: the proxy keeps running. */
    void stopAgentLeavingProxy() {
        agent.closeLeavingProxy();
        agent = null;
    }

    /** The pid of the running proxy, from its control socket. */
    long proxyPid() {
        return ControlClient.status(dir.resolve("run/proxy.sock")).orElseThrow(
                () -> new AssertionError("no proxy answers at " + dir.resolve("run/proxy.sock"))).pid();
    }

    /** Creates an endpoint through the CLI; returns its description (ip, identity, netns, ...). */
    JsonNode endpoint(String name, String labels) throws IOException {
        return endpoint(name, "default", labels);
    }

    /** Creates an endpoint in {@code namespace} through the CLI; returns its description. */
    JsonNode endpoint(String name, String namespace, String labels) throws IOException {
        Cli.Result created = cli.run("endpoint", "create", name, "--namespace", namespace, "--labels", labels);
        if (created.exit() != 0) {
            throw new IllegalStateException(created.err());
        }
        return endpoint(name);
    }

    /** An existing endpoint's description. */
    JsonNode endpoint(String name) throws IOException {
        return JSON.readTree(cli.run("endpoint", "get", name, "-o", "json").out());
    }

    /** How many requests the http.server on port has logged. */
    int httpServerRequests(int port) throws IOException {
        return (int) Files.readString(dir.resolve("server-" + port + ".log")).lines()
                .filter(line -> line.contains("\"GET ")).count();
    }

    /** Starts python's http.server inside an endpoint on ip:port; its request log is its stderr. */
    HttpServerProcess httpServer(JsonNode endpoint, int port) throws Exception {
        Path log = dir.resolve("server-" + port + ".log");
        Path root = Files.createDirectories(dir.resolve("www"));
        Files.createDirectories(root.resolve("public"));
        Files.createDirectories(root.resolve("private"));
        Files.writeString(root.resolve("public/hello"), "hello\n");
        Files.writeString(root.resolve("private/secret"), "secret\n");
        Process server = new ProcessBuilder("ip", "netns", "exec", endpoint.path("netns").asText(), "python3", "-m",
                "http.server", String.valueOf(port), "--bind", endpoint.path("ip").asText(), "--directory",
                root.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        servers.add(server);
        HttpServerProcess started = new HttpServerProcess(server, log);
        awaitListening(endpoint, port);
        return started;
    }

    private static void awaitListening(JsonNode endpoint, int port) throws Exception {
        for (int i = 0; i < 100; i++) {
            ProcessRunner.Result ss = ProcessRunner.run(List.of("ip", "netns", "exec", endpoint.path("netns").asText(),
                    "ss", "-Htln", "sport = :" + port));
            if (!ss.stdout().isBlank()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("server on port " + port + " did not start");
    }

    /** Starts {@code command} inside an endpoint (output to {@code log}) and waits until it listens on port. */
    Process serverProcess(JsonNode endpoint, int port, Path log, String... command) throws Exception {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", endpoint.path("netns").asText()));
        argv.addAll(List.of(command));
        Process server = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        servers.add(server);
        awaitListening(endpoint, port);
        return server;
    }

    /** The java launcher of this JVM, for workloads and clients in JVMs of their own. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Starts the workloads' grpc-java greeter on grpcPort and its KRaft broker (topics
     * {@code orders} and {@code payments}) on kafkaPort inside the endpoint, at its address, and
     * waits until both serve. Both JVMs start at once; each prints READY when it serves.
     */
    void greeterAndBroker(JsonNode endpoint, int grpcPort, int kafkaPort) throws Exception {
        String ip = endpoint.path("ip").asText();
        Process grpc = workloadJvm(endpoint, "grpc", GreeterServerMain.class, ip, String.valueOf(grpcPort));
        Process kafka = workloadJvm(endpoint, "kafka", KafkaBrokerMain.class, ip, String.valueOf(kafkaPort), "orders",
                "payments");
        awaitReady(grpc, "grpc");
        awaitReady(kafka, "kafka");
    }

    /** A workloads main in its own JVM inside the endpoint's netns (not its cgroup), output to {@code NAME.log}. */
    private Process workloadJvm(JsonNode endpoint, String name, Class<?> main, String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", endpoint.path("netns").asText(), java(),
                "-cp", System.getProperty("java.class.path"), main.getName()));
        argv.addAll(List.of(args));
        Process process = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile()).start();
        servers.add(process);
        return process;
    }

    /** Waits up to a minute until the workload {@code name} printed READY. */
    void awaitReady(Process process, String name) throws Exception {
        Path log = dir.resolve(name + ".log");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            String output = Files.readString(log);
            if (output.lines().anyMatch("READY"::equals)) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError(name + " server exited (" + process.exitValue() + "): " + output);
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name + " server not ready within 60 s: " + Files.readString(log));
    }

    /** Runs a command inside an endpoint through the real CLI ({@code portcullis endpoint exec}). */
    ProcessRunner.Result exec(String endpoint, String... command) throws Exception {
        List<String> argv = new ArrayList<>(List.of("java", "-cp", System.getProperty("java.class.path"),
                "io.portcullis.cli.Main", "endpoint", "exec", "--socket", dir.resolve("run/agent.sock").toString(),
                endpoint, "--"));
        argv.addAll(List.of(command));
        return ProcessRunner.run(argv);
    }

    /**
     * What {@code endpoint exec} does (join the cgroup, then the netns) without asking the agent:
     * for while it is down.
     */
    ProcessRunner.Result execWithoutAgent(JsonNode endpoint, String... command) throws Exception {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", "echo $$ > \"$0/cgroup.procs\" && exec \"$@\"",
                endpoint.path("cgroup").asText(), "ip", "netns", "exec", endpoint.path("netns").asText()));
        argv.addAll(List.of(command));
        return ProcessRunner.run(argv);
    }

    /** curl from an endpoint: stdout is {@code <http code> <remote ip>}. */
    ProcessRunner.Result curl(String endpoint, String url) throws Exception {
        return exec(endpoint, "curl", "-sS", "--max-time", "5", "-o", "/dev/null", "-w", "%{http_code}", url);
    }

    @Override
    public void close() throws Exception {
        for (Process server : servers) {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        if (agent == null) {
            startAgent();
        }
        for (JsonNode endpoint : JSON.readTree(cli.run("endpoint", "list", "-o", "json").out())) {
            cli.run("endpoint", "delete", endpoint.path("name").asText());
        }
        stopAgent();
        NodeCleanup.uninstall(config);
    }

    record HttpServerProcess(Process process, Path log) {
        String requests() throws IOException {
            return Files.readString(log);
        }
    }
}
