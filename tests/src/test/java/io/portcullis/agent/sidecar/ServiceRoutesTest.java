package io.portcullis.agent.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.agent.api.ApiRoutes;
import io.portcullis.agent.api.ApiServer;
import io.portcullis.agent.observe.FlowHistory;
import io.portcullis.bpf.lb.LbService;
import io.portcullis.cli.Main;
import io.portcullis.config.AgentConfigLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The services API as the CLI uses it, over a real API socket, with a registry whose kernel is a
 * recorder: what is accepted reaches the kernel, what is refused gets the right status and reason.
 */
class ServiceRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    ApiServer server;
    final List<List<LbService>> synced = new ArrayList<>();
    /** What the kernel throws at its next calls, one per call, before it succeeds again. */
    final Deque<RuntimeException> kernelFailures = new ArrayDeque<>();
    /** How often the node was told the services changed. */
    int changes;

    private ServiceRegistry start(Optional<String> configuredServices) throws IOException {
        ServiceRegistry registry = null;
        if (configuredServices.isPresent()) {
            Path config = Files.writeString(dir.resolve("agent.yaml"), "datapath: bpf\npolicyDir: p\n"
                    + "endpointPool: 10.241.0.0/24\nservices:\n" + configuredServices.get());
            registry = new ServiceRegistry(AgentConfigLoader.load(config).services(),
                    new ServiceStore(dir.resolve("state")), new BackendFilter("10.241.0.0/24"), services -> {
                        RuntimeException failure = kernelFailures.poll();
                        if (failure != null) {
                            throw failure;
                        }
                        synced.add(services);
                    });
            registry.endpointsChanged(List.of(Services.endpoint("b1", "10.241.0.3")));
        }
        server = ApiServer.start(dir.resolve("api.sock"), new ServiceRoutes(Optional.ofNullable(registry), () -> changes++)
                .register(new ApiRoutes()), new FlowHistory(FlowHistory.CAPACITY));
        return registry;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--socket", dir.resolve("api.sock").toString()));
        int exit = Main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(all.toArray(new String[0]));
        return new Run(exit, out.toString(), err.toString());
    }

    record Run(int exit, String out, String err) {
    }

    @Test
    void createListReplaceAndDeleteThroughTheCli() throws IOException {
        ServiceRegistry registry = start(Optional.of(
                "  - {name: dns, vip: '10.96.0.53:53', protocol: UDP, backends: ['192.0.2.53:53']}\n"));

        Run created = cli("service", "create", "web", "--vip", "10.96.77.10:80", "--backend", "10.241.0.3:8080",
                "--backend", "10.241.0.4:8080", "--namespace", "shop", "--labels", "external=yes");
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(changes).as("policies naming services are recompiled").isEqualTo(1);
        assertThat(registry.policyEntries()).anyMatch(e -> e.name().equals("web") && e.namespace().equals("shop")
                && e.labels().values().equals(Map.of("k8s:external", "yes")) && e.backends().size() == 2);
        assertThat(created.out()).isEqualTo("service web created: 10.96.77.10:80/tcp, 2 backends (1 active), random\n");
        assertThat(synced.get(synced.size() - 1)).contains(Services.tcp("10.96.77.10:80", "10.241.0.3:8080"));

        JsonNode listed = JSON.readTree(cli("service", "list", "-o", "json").out());
        assertThat(listed).hasSize(2);
        JsonNode dns = listed.get(0);
        assertThat(dns.path("source").asText()).isEqualTo("config");
        assertThat(dns.path("definedIn").asText()).startsWith(dir.resolve("agent.yaml") + ":5:");
        assertThat(dns.path("frontend").toString()).isEqualTo("{\"vip\":\"10.96.0.53\",\"port\":53,\"protocol\":\"UDP\"}");
        JsonNode web = listed.get(1);
        assertThat(web.path("source").asText()).isEqualTo("api");
        assertThat(web.path("namespace").asText()).isEqualTo("shop");
        assertThat(web.path("labels").path("external").asText()).isEqualTo("yes");
        assertThat(dns.path("namespace").asText()).isEqualTo("default");
        assertThat(web.path("algorithm").asText()).isEqualTo("random");
        assertThat(web.path("backends").get(0).toString()).isEqualTo("{\"address\":\"10.241.0.3:8080\",\"active\":true}");
        assertThat(web.path("backends").get(1).path("active").asBoolean()).isFalse();
        assertThat(web.path("backends").get(1).path("reason").asText()).startsWith("no endpoint holds 10.241.0.4");

        String text = cli("service", "list").out();
        assertThat(text).contains("NAME").contains("FRONTEND").contains("10.96.77.10:80/tcp")
                .contains("10.241.0.3:8080, 10.241.0.4:8080 (inactive)")
                .contains("web: 10.241.0.4:8080 is inactive: no endpoint holds 10.241.0.4");

        Run replaced = cli("service", "create", "web", "--vip", "10.96.77.10:80", "--backend", "10.241.0.3:8080",
                "--algorithm", "maglev");
        assertThat(replaced.out()).startsWith("service web updated: 10.96.77.10:80/tcp, 1 backends (1 active), maglev");

        Run deleted = cli("service", "delete", "web");
        assertThat(deleted.exit()).as(deleted.err()).isZero();
        assertThat(changes).isEqualTo(3);
        assertThat(deleted.out()).isEqualTo("service web deleted\n");
        assertThat(JSON.readTree(cli("service", "list", "-o", "json").out())).hasSize(1);
    }

    @Test
    void refusalsCarryTheReason() throws IOException {
        start(Optional.of("  - {name: dns, vip: '10.96.0.53:53', backends: []}\n"));

        Run badVip = cli("service", "create", "web", "--vip", "10.96.77.10", "--backend", "10.241.0.3:8080");
        assertThat(badVip.exit()).isEqualTo(1);
        assertThat(badVip.err()).isEqualTo("portcullis: field 'vip': expected IP:PORT such as 10.96.0.10:80, "
                + "found '10.96.77.10'\n");
        Run badPort = cli("service", "create", "web", "--vip", "10.96.77.10:80", "--backend", "10.241.0.3:0");
        assertThat(badPort.err()).contains("field 'backends': port 0 of '10.241.0.3:0' is out of range [1, 65535]");
        Run inPool = cli("service", "create", "web", "--vip", "10.241.0.77:80", "--backend", "10.241.0.3:80");
        assertThat(inPool.err()).contains("vip 10.241.0.77 lies in the endpoint pool");
        Run configured = cli("service", "create", "dns", "--vip", "10.96.0.53:53", "--backend", "10.241.0.3:53");
        assertThat(configured.err()).contains("service 'dns' is defined in the agent config at "
                + dir.resolve("agent.yaml") + ":5:");
        Run configuredDelete = cli("service", "delete", "dns");
        assertThat(configuredDelete.exit()).isEqualTo(1);
        assertThat(configuredDelete.err()).contains("defined in the agent config");
        Run unknown = cli("service", "delete", "nope");
        assertThat(unknown.err()).isEqualTo("portcullis: no service named 'nope'\n");
        Run protocol = cli("service", "create", "web", "--vip", "10.96.77.10:80", "--backend", "10.241.0.3:80",
                "--protocol", "sctp");
        assertThat(protocol.exit()).as("picocli refuses it before any call").isEqualTo(2);
        assertThat(protocol.err()).contains("--protocol").contains("sctp");
        assertThat(JSON.readTree(cli("service", "list", "-o", "json").out())).as("nothing was created").hasSize(1);
    }

    @Test
    void statusCodesForRawCalls() throws Exception {
        start(Optional.of("  - {name: dns, vip: '10.96.0.53:53', backends: []}\n"));

        assertThat(RawApi.call(dir.resolve("api.sock"), "PUT", "/v1/services/web", "{\"vip\": 5}"))
                .startsWith("400 ").contains("field 'vip': expected a string");
        assertThat(RawApi.call(dir.resolve("api.sock"), "PUT", "/v1/services/web", "{nope"))
                .startsWith("400 ").contains("the body is not JSON");
        assertThat(RawApi.call(dir.resolve("api.sock"), "PUT", "/v1/services/other",
                "{\"vip\":\"10.96.0.53:53\",\"backends\":[]}")).startsWith("409 ")
                .contains("frontend 10.96.0.53:53/tcp already belongs to service 'dns'");
        assertThat(RawApi.call(dir.resolve("api.sock"), "DELETE", "/v1/services/dns", "")).startsWith("409 ");
        assertThat(RawApi.call(dir.resolve("api.sock"), "DELETE", "/v1/services/nope", "")).startsWith("404 ");
        assertThat(RawApi.call(dir.resolve("api.sock"), "PUT", "/v1/services/web",
                "{\"vip\":\"10.96.0.10:80\",\"backends\":[]}")).startsWith("200 ").contains("\"result\":\"created\"");
    }

    @Test
    void kernelFailuresAreNotConflictsAndChangeNothing() throws Exception {
        start(Optional.of("  - {name: dns, vip: '10.96.0.53:53', backends: []}\n"));
        String web = "{\"vip\":\"10.96.0.10:80\",\"backends\":[\"10.241.0.3:80\"]}";

        kernelFailures.add(new IllegalStateException("all 2 service ids are in use: remove services (or backends) "
                + "before adding more"));
        assertThat(RawApi.call(dir.resolve("api.sock"), "PUT", "/v1/services/web", web)).startsWith("400 ")
                .contains("did not take service 'web': all 2 service ids are in use: remove services");
        kernelFailures.add(new UncheckedIOException(new IOException("bpf_map_update_elem failed: EPERM")));
        assertThat(RawApi.call(dir.resolve("api.sock"), "PUT", "/v1/services/web", web)).startsWith("500 ")
                .contains("bpf_map_update_elem failed: EPERM").contains("nothing was changed");
        assertThat(JSON.readTree(cli("service", "list", "-o", "json").out())).as("nothing was created").hasSize(1);

        assertThat(RawApi.call(dir.resolve("api.sock"), "PUT", "/v1/services/web", web)).startsWith("200 ");
        kernelFailures.add(new UncheckedIOException(new IOException("bpf_map_delete_elem failed: EPERM")));
        Run delete = cli("service", "delete", "web");
        assertThat(delete.exit()).isEqualTo(1);
        assertThat(delete.err()).contains("did not take the removal of service 'web'");
        assertThat(JSON.readTree(cli("service", "list", "-o", "json").out())).as("nothing was deleted").hasSize(2);
    }

    @Test
    void withoutTheBpfDatapathEveryCallIs409WithTheHint() throws Exception {
        start(Optional.empty());

        Run list = cli("service", "list");
        assertThat(list.exit()).isEqualTo(1);
        assertThat(list.err()).contains("needs 'datapath: bpf'");
        assertThat(RawApi.call(dir.resolve("api.sock"), "PUT", "/v1/services/web",
                "{\"vip\":\"10.96.0.10:80\",\"backends\":[]}")).startsWith("409 ").contains("datapath: bpf");
        assertThat(RawApi.call(dir.resolve("api.sock"), "DELETE", "/v1/services/web", "")).startsWith("409 ");
    }
}
