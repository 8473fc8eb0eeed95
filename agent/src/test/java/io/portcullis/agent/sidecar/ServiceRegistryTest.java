package io.portcullis.agent.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.portcullis.agent.endpoint.Endpoint;
import io.portcullis.bpf.lb.LbService;
import io.portcullis.config.AgentConfigLoader;
import io.portcullis.config.ServiceConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceRegistryTest {
    private static final String POOL = "10.200.0.0/24";

    @TempDir
    Path dir;
    /** Every list of services the registry handed to the kernel, in order. */
    final List<List<LbService>> synced = new ArrayList<>();
    /** What the kernel throws at its next calls, one per call, before it succeeds again. */
    final Deque<RuntimeException> kernelFailures = new ArrayDeque<>();

    private ServiceRegistry registry(List<ServiceConfig> configured) throws IOException {
        return new ServiceRegistry(configured, new ServiceStore(dir.resolve("state")), new BackendFilter(POOL),
                services -> {
                    RuntimeException failure = kernelFailures.poll();
                    if (failure != null) {
                        throw failure;
                    }
                    synced.add(services);
                });
    }

    private List<ServiceConfig> configured(String servicesYaml) throws IOException {
        Path file = Files.writeString(dir.resolve("agent.yaml"), "datapath: bpf\npolicyDir: p\nendpointPool: " + POOL
                + "\nservices:\n" + servicesYaml);
        return AgentConfigLoader.load(file).services();
    }

    private List<LbService> lastSynced() {
        return synced.get(synced.size() - 1);
    }

    @Test
    void nothingReachesTheKernelBeforeTheFirstViewOfTheEndpoints() throws IOException {
        ServiceRegistry registry = registry(List.of());
        registry.put("web", Services.tcp("10.96.0.10:80", "10.200.0.5:8080"));
        assertThat(synced).isEmpty();

        registry.endpointsChanged(List.of(Services.endpoint("b1", "10.200.0.5")));

        assertThat(lastSynced()).containsExactly(Services.tcp("10.96.0.10:80", "10.200.0.5:8080"));
    }

    @Test
    void putCreatesThenUpdatesAndEveryChangeIsSyncedAndSurvivesARestart() throws IOException {
        ServiceRegistry registry = registry(List.of());
        registry.endpointsChanged(List.of(Services.endpoint("b1", "10.200.0.5")));

        assertThat(registry.put("web", Services.tcp("10.96.0.10:80", "10.200.0.5:8080", "10.200.0.6:8080"))).isTrue();
        assertThat(lastSynced()).as("10.200.0.6 has no endpoint")
                .containsExactly(Services.tcp("10.96.0.10:80", "10.200.0.5:8080"));
        assertThat(registry.put("web", Services.tcp("10.96.0.10:80", "192.0.2.7:80"))).isFalse();
        assertThat(lastSynced()).containsExactly(Services.tcp("10.96.0.10:80", "192.0.2.7:80"));

        ServiceRegistry restarted = registry(List.of());
        assertThat(restarted.list()).extracting(Service::name, Service::spec)
                .containsExactly(tuple("web", Services.tcp("10.96.0.10:80", "192.0.2.7:80")));

        restarted.delete("web");
        assertThat(registry(List.of()).list()).isEmpty();
        assertThatThrownBy(() -> restarted.delete("web")).isInstanceOf(NoSuchElementException.class)
                .hasMessage("no service named 'web'");
    }

    @Test
    void configServicesAreReadOnlyAndNameTheirFile() throws IOException {
        ServiceRegistry registry = registry(configured("  - {name: dns, vip: '10.96.0.53:53', protocol: UDP, "
                + "backends: ['10.200.0.9:53']}\n"));
        registry.endpointsChanged(List.of());

        assertThatThrownBy(() -> registry.put("dns", Services.tcp("10.96.0.54:53")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("service 'dns' is defined in the agent config at " + dir.resolve("agent.yaml")
                        + ":5:5; change it there and restart the agent");
        assertThatThrownBy(() -> registry.delete("dns")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("agent.yaml:5:5");
        assertThat(registry.list()).singleElement().extracting(Service::source).isEqualTo("config");
        assertThat(lastSynced()).singleElement().satisfies(dns -> {
            assertThat(dns.frontend().toString()).isEqualTo("10.96.0.53:53/udp");
            assertThat(dns.backends()).as("no endpoint holds 10.200.0.9 yet").isEmpty();
        });
        assertThat(dir.resolve("state/services.json")).as("config services are not persisted").doesNotExist();
    }

    @Test
    void badNamesVipsInThePoolAndTakenFrontendsAreRefused() throws IOException {
        ServiceRegistry registry = registry(List.of());
        registry.put("web", Services.tcp("10.96.0.10:80"));

        assertThatThrownBy(() -> registry.put("Web!", Services.tcp("10.96.0.11:80")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("service name 'Web!' must be");
        assertThatThrownBy(() -> registry.put("api", Services.tcp("10.200.0.40:80")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("vip 10.200.0.40 lies in the endpoint pool; a VIP must be an address no endpoint can have");
        assertThatThrownBy(() -> registry.put("www", Services.tcp("10.96.0.10:80")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("frontend 10.96.0.10:80/tcp already belongs to service 'web'");
        assertThat(registry.list()).extracting(Service::name).containsExactly("web");
    }

    @Test
    void aDeletedEndpointLeavesTheApiServicesForGoodAndIsLoggedOncePerService() throws IOException {
        ServiceRegistry registry = registry(configured("  - {name: pinned, vip: '10.96.0.20:80', "
                + "backends: ['10.200.0.6:8080']}\n"));
        Endpoint b1 = Services.endpoint("server-1", "10.200.0.5");
        Endpoint b2 = Services.endpoint("server-2", "10.200.0.6");
        registry.endpointsChanged(List.of(b1, b2));
        registry.put("web", Services.tcp("10.96.0.10:80", "10.200.0.5:8080", "10.200.0.6:8080", "10.200.0.6:9090"));
        registry.put("api", Services.tcp("10.96.0.11:80", "10.200.0.6:8080"));
        registry.put("other", Services.tcp("10.96.0.12:80", "10.200.0.5:8080"));

        List<String> logged = logged(() -> registry.endpointsChanged(List.of(b1)));

        assertThat(logged).containsExactlyInAnyOrder(
                "service web: backends 10.200.0.6:8080, 10.200.0.6:9090 removed with endpoint server-2",
                "service api: backend 10.200.0.6:8080 removed with endpoint server-2");
        assertThat(lastSynced()).containsExactly(
                Services.tcp("10.96.0.11:80"),
                Services.tcp("10.96.0.12:80", "10.200.0.5:8080"),
                Services.tcp("10.96.0.20:80"),
                Services.tcp("10.96.0.10:80", "10.200.0.5:8080"));
        ServiceRegistry restarted = registry(configured("  - {name: pinned, vip: '10.96.0.20:80', "
                + "backends: ['10.200.0.6:8080']}\n"));
        assertThat(restarted.list()).extracting(Service::name, s -> s.spec().backends()).containsExactly(
                tuple("api", List.of()),
                tuple("other", Services.backends("10.200.0.5:8080")),
                tuple("pinned", Services.backends("10.200.0.6:8080")),
                tuple("web", Services.backends("10.200.0.5:8080")));

        Endpoint newcomer = Services.endpoint("server-3", "10.200.0.6");
        registry.endpointsChanged(List.of(b1, newcomer));
        assertThat(lastSynced()).as("a new endpoint on the old address serves only the config's service")
                .contains(Services.tcp("10.96.0.20:80", "10.200.0.6:8080"), Services.tcp("10.96.0.11:80"));
        assertThat(logged(() -> registry.endpointsChanged(List.of(b1, newcomer)))).as("nothing went away").isEmpty();
    }

    @Test
    void aChangeTheKernelRefusesIsNeitherKeptNorSavedAndTheKernelIsPutBack() throws IOException {
        ServiceRegistry registry = registry(List.of());
        registry.endpointsChanged(List.of(Services.endpoint("b1", "10.200.0.5")));
        registry.put("web", Services.tcp("10.96.0.10:80", "10.200.0.5:8080"));
        List<LbService> before = lastSynced();

        kernelFailures.add(new IllegalStateException("all 2 service ids are in use: remove services (or backends) "
                + "before adding more"));
        assertThatThrownBy(() -> registry.put("api", Services.tcp("10.96.0.11:80")))
                .isInstanceOfSatisfying(KernelSyncException.class,
                        e -> assertThat(e.kind()).isEqualTo(KernelSyncException.Kind.REFUSED))
                .hasMessage("the kernel's service maps did not take service 'api': all 2 service ids are in use: remove "
                        + "services (or backends) before adding more; nothing was changed; make room as it says, then "
                        + "retry");
        assertThat(registry.list()).extracting(Service::name).containsExactly("web");
        assertThat(registry(List.of()).list()).as("not saved").extracting(Service::name).containsExactly("web");
        assertThat(lastSynced()).as("the kernel got the services kept again").isEqualTo(before);

        kernelFailures.add(new UncheckedIOException(new IOException("bpf_map_delete_elem failed: EPERM")));
        assertThatThrownBy(() -> registry.delete("web"))
                .isInstanceOfSatisfying(KernelSyncException.class,
                        e -> assertThat(e.kind()).isEqualTo(KernelSyncException.Kind.FAILED))
                .hasMessageStartingWith("the kernel's service maps did not take the removal of service 'web': ")
                .hasMessageContaining("see the agent log");
        assertThat(registry.list()).extracting(Service::name).containsExactly("web");

        registry.endpointsChanged(List.of(Services.endpoint("b1", "10.200.0.5")));
        assertThat(lastSynced()).as("later views work").isEqualTo(before);
    }

    @Test
    void aViewTheKernelRefusesChangesNothingAndTheNextViewPrunesAgain() throws IOException {
        ServiceRegistry registry = registry(List.of());
        Endpoint b1 = Services.endpoint("b1", "10.200.0.5");
        registry.endpointsChanged(List.of(b1));
        registry.put("web", Services.tcp("10.96.0.10:80", "10.200.0.5:8080"));

        kernelFailures.add(new UncheckedIOException(new IOException("bpf_map_update_elem failed: E2BIG")));
        assertThatThrownBy(() -> registry.endpointsChanged(List.of())).isInstanceOf(KernelSyncException.class);
        assertThat(registry.list()).singleElement().extracting(s -> s.spec().backends())
                .isEqualTo(Services.backends("10.200.0.5:8080"));

        assertThat(logged(() -> registry.endpointsChanged(List.of())))
                .containsExactly("service web: backend 10.200.0.5:8080 removed with endpoint b1");
        assertThat(lastSynced()).containsExactly(Services.tcp("10.96.0.10:80"));
    }

    @Test
    void theFirstViewPrunesPoolBackendsNoEndpointHoldsFromTheApisServicesOnly() throws IOException {
        new ServiceStore(dir.resolve("state")).save(List.of(new Service("web",
                Services.tcp("10.96.0.10:80", "10.200.0.5:8080", "10.200.0.6:8080", "10.200.0.7:8080", "192.0.2.7:80"),
                null)));
        ServiceRegistry registry = registry(configured("  - {name: pinned, vip: '10.96.0.20:80', "
                + "backends: ['10.200.0.6:8080']}\n"));

        List<String> logged = logged(() -> registry.endpointsChanged(List.of(Services.endpoint("b1", "10.200.0.5"))));

        assertThat(logged).containsExactly("service web: backends 10.200.0.6:8080, 10.200.0.7:8080 removed: no endpoint "
                + "held their addresses when the agent started");
        assertThat(lastSynced()).containsExactly(Services.tcp("10.96.0.20:80"),
                Services.tcp("10.96.0.10:80", "10.200.0.5:8080", "192.0.2.7:80"));
        assertThat(new ServiceStore(dir.resolve("state")).load()).singleElement().extracting(s -> s.spec().backends())
                .isEqualTo(Services.backends("10.200.0.5:8080", "192.0.2.7:80"));
        registry.endpointsChanged(List.of(Services.endpoint("b1", "10.200.0.5"), Services.endpoint("new", "10.200.0.7")));
        assertThat(lastSynced()).as("a new endpoint on an old address is not a backend of the API's service")
                .contains(Services.tcp("10.96.0.10:80", "10.200.0.5:8080", "192.0.2.7:80"));
    }

    @Test
    void aStoredServiceThatTheConfigNowDefinesIsDropped() throws IOException {
        new ServiceStore(dir.resolve("state")).save(List.of(new Service("web", Services.tcp("10.96.0.10:80"), null),
                new Service("old", Services.tcp("10.96.0.30:80"), null)));

        ServiceRegistry registry = registry(configured("  - {name: web, vip: '10.96.0.10:8080', backends: []}\n"
                + "  - {name: new, vip: '10.96.0.30:80', backends: []}\n"));

        assertThat(registry.list()).extracting(Service::name, Service::source).containsExactly(
                tuple("new", "config"), tuple("web", "config"));
        assertThat(new ServiceStore(dir.resolve("state")).load()).isEmpty();
    }

    /** The INFO messages of the registry's logger while {@code action} runs. */
    private static List<String> logged(IoAction action) throws IOException {
        Logger logger = Logger.getLogger(ServiceRegistry.class.getName());
        List<String> messages = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                messages.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try {
            action.run();
        } finally {
            logger.removeHandler(handler);
        }
        return messages;
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }
}
