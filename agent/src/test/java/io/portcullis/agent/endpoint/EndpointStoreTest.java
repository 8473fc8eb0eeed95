package io.portcullis.agent.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.policy.identity.Labels;
import io.portcullis.policy.model.NamedPort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndpointStoreTest {
    @TempDir
    Path state;

    private EndpointStore prepared() throws IOException {
        EndpointStore store = EndpointStore.open(state);
        store.prepare();
        return store;
    }

    private static Endpoint endpoint(String name) {
        return new Endpoint(name, "default", Map.of("app", name), List.of(), "10.200.0.7", "pc-" + name,
                "pc0011223344", "/sys/fs/cgroup/portcullis/endpoints/" + name);
    }

    @Test
    void openingReadsAndCreatesNothing() throws IOException {
        EndpointStore store = EndpointStore.open(state);

        assertThat(store.hasEndpoints()).isFalse();
        assertThat(state.resolve("endpoints")).doesNotExist();
    }

    @Test
    void hasEndpointsFollowsSavesAndRemovals() throws IOException {
        EndpointStore store = prepared();
        assertThat(store.hasEndpoints()).isFalse();

        store.save(endpoint("web"));
        assertThat(store.hasEndpoints()).isTrue();
        assertThat(EndpointStore.open(state).hasEndpoints()).isTrue();

        store.remove("web");
        assertThat(store.hasEndpoints()).isFalse();
        assertThat(store.load()).isEmpty();
    }

    @Test
    void savingAgainReplacesTheRecordAndLeavesNoTemporaryFile() throws IOException {
        EndpointStore store = prepared();
        store.save(endpoint("web"));
        Endpoint moved = new Endpoint("web", "shop", Map.of("app", "web"), List.of(), "10.200.0.9", "pc-web",
                "pc0011223344", "/sys/fs/cgroup/portcullis/endpoints/web");

        store.save(moved);

        assertThat(store.load()).containsExactly(moved);
        try (var files = Files.list(state.resolve("endpoints"))) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("web.json");
        }
    }

    @Test
    void auditModeIsKeptAndARecordWrittenBeforeItHadOneEnforces() throws IOException {
        EndpointStore store = prepared();
        store.save(endpoint("web").withAudit(true));
        assertThat(store.load()).singleElement().extracting(Endpoint::audit).isEqualTo(true);

        Path file = state.resolve("endpoints").resolve("web.json");
        Files.writeString(file, Files.readString(file).replace(",\"audit\":true", ""));
        assertThat(Files.readString(file)).doesNotContain("audit");
        assertThat(store.load()).containsExactly(endpoint("web"));
    }

    @Test
    void filesOtherThanJsonAreNotEndpoints() throws IOException {
        EndpointStore store = prepared();
        Files.writeString(state.resolve("endpoints").resolve(".endpoint-1.tmp"), "{");

        assertThat(store.hasEndpoints()).isFalse();
        assertThat(store.load()).isEmpty();
    }

    @Test
    void anUnreadableRecordNamesItsFileAndWhatToDo() throws IOException {
        EndpointStore store = prepared();
        Path broken = state.resolve("endpoints").resolve("web.json");
        Files.writeString(broken, "{not json");

        assertThatThrownBy(store::load).isInstanceOf(IOException.class)
                .hasMessageContaining("endpoint state " + broken + " is unreadable")
                .hasMessageContaining("delete it and the endpoint's netns by hand, or restore it");
    }

    @Test
    void anEndpointRecordedBeforeNamespacesIsInTheDefaultNamespace() throws IOException {
        EndpointStore store = prepared();
        Files.writeString(state.resolve("endpoints").resolve("web.json"), """
                {"name":"web","labels":{"app":"web"},"ip":"10.200.0.5","netns":"pc-web",
                 "hostInterface":"pc0123456789","cgroup":"/sys/fs/cgroup/portcullis/endpoints/web"}
                """);
        Endpoint web = store.load().get(0);
        assertThat(web.namespace()).isEqualTo("default");
        assertThat(web.ports()).isEmpty();
        assertThat(web.identityLabels()).isEqualTo(Labels.ofEndpoint("default", Map.of("app", "web")));
    }

    @Test
    void namespaceAndPortsSurviveTheStateFile() throws IOException {
        EndpointStore store = prepared();
        Endpoint db = new Endpoint("db", "shop", Map.of("tier", "data"), List.of(NamedPort.parse("pg=5432/tcp")),
                "10.200.0.6", "pc-db", "pc9876543210", "/sys/fs/cgroup/portcullis/endpoints/db");
        store.save(db);
        assertThat(store.load()).containsExactly(db);
        assertThat(db.identityLabels().namespace()).contains("shop");
    }
}
