package io.portcullis.agent.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceStoreTest {
    @TempDir
    Path stateDir;

    @Test
    void aMissingFileIsNoServices() throws IOException {
        assertThat(new ServiceStore(stateDir.resolve("fresh")).load()).isEmpty();
    }

    @Test
    void roundTripKeepsEveryFieldAndTheOrder() throws IOException {
        List<Service> services = List.of(
                new Service("web", Services.tcp("10.96.0.10:80", "10.200.0.5:8080", "10.200.0.6:8080"), null),
                new Service("empty", Services.tcp("10.96.0.11:443"), null));
        ServiceStore store = new ServiceStore(stateDir);

        store.save(services);

        assertThat(new ServiceStore(stateDir).load()).isEqualTo(services);
        assertThat(Files.readString(stateDir.resolve("services.json"))).contains("\"web\"").contains("10.96.0.10:80");
        assertThat(stateDir.resolve("services.json.tmp")).doesNotExist();
    }

    @Test
    void aDamagedFileIsRefusedWithWhatToDo() throws IOException {
        Files.writeString(stateDir.resolve("services.json"), "{\"web\": {\"vip\": \"nowhere\", \"backends\": []}}");

        assertThatThrownBy(() -> new ServiceStore(stateDir).load()).isInstanceOf(IOException.class)
                .hasMessageContaining(stateDir.resolve("services.json") + " is unreadable")
                .hasMessageContaining("service 'web': field 'vip'")
                .hasMessageContaining("fix or delete it");
    }
}
