package io.portcullis.tests.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.agent.Agent;
import io.portcullis.config.AgentConfigLoader;
import io.portcullis.tests.support.Cli;
import io.portcullis.tests.support.Privileges;
import io.portcullis.tests.support.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Endpoints plumbed by the agent as a CNI plugin would, driven through the CLI: namespaces, veths,
 * pool addresses, cgroups, re-adoption after a restart, and clean removal. Uses its own invented
 * pool, 10.222.0.0/24, which the agent blackholes on the host.
 */
class EndpointLifecycleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POOL = "10.222.0.0/24";

    @TempDir
    static Path dir;
    static Path config;
    static Agent agent;
    static Cli cli;
    /** The agent's cgroup directory for endpoints, learnt from the first endpoint, removed at the end. */
    static Path endpointCgroups;

    @BeforeAll
    static void start() throws IOException {
        Privileges.requireRoot("endpoints are network namespaces, veths and cgroups");
        Files.createDirectories(dir.resolve("policies"));
        config = Files.writeString(dir.resolve("agent.yaml"), """
                policyDir: policies
                accessLog: off
                apiSocket: run/agent.sock
                stateDir: state
                endpointPool: %s
                listeners: [{port: 0, upstream: "127.0.0.1:9"}]
                """.formatted(POOL));
        agent = Agent.start(AgentConfigLoader.load(config));
        cli = new Cli(dir.resolve("run/agent.sock"));
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (agent != null) {
            for (JsonNode endpoint : JSON.readTree(cli.run("endpoint", "list", "-o", "json").out())) {
                cli.run("endpoint", "delete", endpoint.path("name").asText());
            }
            agent.close();
        }
        if (endpointCgroups != null) {
            ProcessRunner.run(List.of("rmdir", endpointCgroups.toString(), endpointCgroups.getParent().toString()));
        }
        ProcessRunner.run(List.of("ip", "route", "del", "blackhole", POOL));
        ProcessRunner.run(List.of("ip", "addr", "del", "10.222.0.1/32", "dev", "lo"));
    }

    private static JsonNode endpoint(String name) throws IOException {
        Cli.Result get = cli.run("endpoint", "get", name, "-o", "json");
        assertThat(get.exit()).as(get.err()).isZero();
        return JSON.readTree(get.out());
    }

    private static ProcessRunner.Result exec(String name, String... command) throws Exception {
        List<String> argv = new java.util.ArrayList<>(List.of("java", "-cp", System.getProperty("java.class.path"),
                "io.portcullis.cli.Main", "endpoint", "exec", "--socket", dir.resolve("run/agent.sock").toString(), name,
                "--"));
        argv.addAll(List.of(command));
        return ProcessRunner.run(argv);
    }

    @Test
    void endpointsAreIsolatedWorkloadsThatReachEachOtherAndSurviveARestart() throws Exception {
        assertThat(cli.run("endpoint", "create", "web", "--labels", "role=web").exit()).isZero();
        assertThat(cli.run("endpoint", "create", "db", "--labels", "app=db,tier=data").exit()).isZero();
        JsonNode web = endpoint("web");
        JsonNode db = endpoint("db");
        endpointCgroups = Path.of(web.path("cgroup").asText()).getParent();
        assertThat(web.path("ip").asText()).startsWith("10.222.0.").isNotEqualTo("10.222.0.1");
        assertThat(db.path("identity").asInt()).isGreaterThanOrEqualTo(256).isNotEqualTo(web.path("identity").asInt());
        assertThat(db.path("labels").path("tier").asText()).isEqualTo("data");
        assertThat(Path.of("/run/netns", web.path("netns").asText())).exists();
        assertThat(Path.of(web.path("cgroup").asText())).isDirectory();

        ProcessRunner.Result address = exec("web", "ip", "-4", "-o", "addr", "show", "dev", "eth0");
        assertThat(address.stdout()).as(address.stderr()).contains(web.path("ip").asText() + "/32");
        ProcessRunner.Result cgroup = exec("web", "cat", "/proc/self/cgroup");
        assertThat(cgroup.stdout()).contains("portcullis/endpoints/web");
        assertThat(exec("web", "sh", "-c", "exit 7").exitCode()).isEqualTo(7);

        Process server = new ProcessBuilder("ip", "netns", "exec", db.path("netns").asText(),
                "python3", "-m", "http.server", "8080", "--bind", db.path("ip").asText()).start();
        try {
            assertThat(curlFromWeb(db.path("ip").asText())).isEqualTo("200");
            assertThat(exec("web", "curl", "-s", "--max-time", "2", "http://10.222.0.250:8080/").exitCode())
                    .as("an unused pool address is blackholed").isNotZero();

            agent.close();
            agent = Agent.start(AgentConfigLoader.load(config));
            assertThat(endpoint("web").path("ip").asText()).isEqualTo(web.path("ip").asText());
            assertThat(endpoint("db").path("identity").asInt()).isEqualTo(db.path("identity").asInt());
            assertThat(curlFromWeb(db.path("ip").asText())).as("workloads kept running across the restart")
                    .isEqualTo("200");
        } finally {
            server.destroy();
        }

        assertThat(cli.run("endpoint", "delete", "web").exit()).isZero();
        assertThat(Path.of("/run/netns", web.path("netns").asText())).doesNotExist();
        assertThat(Path.of("/sys/class/net", web.path("hostInterface").asText())).doesNotExist();
        assertThat(Path.of(web.path("cgroup").asText())).doesNotExist();
        assertThat(cli.run("endpoint", "get", "web").exit()).isEqualTo(1);
    }

    @Test
    void badNamesAndDuplicatesAreRefused() throws IOException {
        Cli.Result bad = cli.run("endpoint", "create", "Bad_Name");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("endpoint name 'Bad_Name'");

        assertThat(cli.run("endpoint", "create", "twice").exit()).isZero();
        Cli.Result again = cli.run("endpoint", "create", "twice");
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("already exists");
        assertThat(cli.run("endpoint", "delete", "twice").exit()).isZero();
    }

    private static String curlFromWeb(String ip) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        String code;
        do {
            code = exec("web", "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "2",
                    "http://" + ip + ":8080/").stdout().trim();
            if (code.equals("200")) {
                return code;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        return code;
    }
}
