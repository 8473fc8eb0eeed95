package io.portcullis.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.Labels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityStoreTest {
    @TempDir
    Path state;

    @Test
    void labelSetsSavedBeforeNamespacesKeepTheirNumbersInTheDefaultNamespace() throws IOException {
        Files.writeString(state.resolve("identities.json"), "[{\"identity\":256,\"labels\":{\"app\":\"web\"}}]");
        assertThat(new IdentityStore(state).load()).containsExactly(
                new Identity(256, Labels.ofEndpoint("default", Map.of("app", "web"))));
    }

    @Test
    void sourcesAndNamespacesRoundTrip() throws IOException {
        IdentityStore store = new IdentityStore(state);
        Identity shop = new Identity(300, Labels.ofEndpoint("shop", Map.of("app", "cart", "container:x", "y")));
        store.save(List.of(Identity.WORLD, shop));
        assertThat(store.load()).containsExactly(shop);
    }
}
