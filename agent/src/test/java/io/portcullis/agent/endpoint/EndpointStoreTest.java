package io.portcullis.agent.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

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

    @Test
    void anEndpointRecordedBeforeNamespacesIsInTheDefaultNamespace() throws IOException {
        EndpointStore store = new EndpointStore(state);
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
        EndpointStore store = new EndpointStore(state);
        Endpoint db = new Endpoint("db", "shop", Map.of("tier", "data"), List.of(NamedPort.parse("pg=5432/tcp")),
                "10.200.0.6", "pc-db", "pc9876543210", "/sys/fs/cgroup/portcullis/endpoints/db");
        store.save(db);
        assertThat(store.load()).containsExactly(db);
        assertThat(db.identityLabels().namespace()).contains("shop");
    }
}
