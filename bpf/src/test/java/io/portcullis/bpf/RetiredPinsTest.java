package io.portcullis.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.bpf.maps.MapNames;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetiredPinsTest {
    @Test
    void removesRetiredPinsAndKeepsCurrentOnes(@TempDir Path pinRoot) throws Exception {
        Files.createFile(pinRoot.resolve("portcullis_lb_sock_revnat_v1"));
        Files.createFile(pinRoot.resolve(MapNames.LB_SOCK_REVNAT));
        Files.createFile(pinRoot.resolve(MapNames.ORIGDST));

        assertThat(RetiredPins.remove(pinRoot)).containsExactly("portcullis_lb_sock_revnat_v1");

        assertThat(pinRoot.resolve("portcullis_lb_sock_revnat_v1")).doesNotExist();
        assertThat(pinRoot.resolve(MapNames.LB_SOCK_REVNAT)).exists();
        assertThat(pinRoot.resolve(MapNames.ORIGDST)).exists();
    }

    @Test
    void aMissingPinRootHasNothingToRemove(@TempDir Path dir) {
        assertThat(RetiredPins.remove(dir.resolve("absent"))).isEmpty();
    }

    @Test
    void noCurrentNameIsRetired() {
        assertThat(MapNames.RETIRED).doesNotContainAnyElementsOf(MapNames.ALL);
    }
}
