package io.portcullis.tests.steering;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.tests.support.NodeCleanup;
import io.portcullis.tests.support.Privileges;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code portcullis uninstall} after an agent that stopped with its endpoints and datapath in
 * place: everything goes, the services created through the API too, and a second run finds nothing
 * to remove.
 */
class UninstallTest {
    private static final String POOL = "10.233.0.0/24";

    @TempDir
    Path dir;

    @Test
    void uninstallRemovesProgramsPinsEndpointsRoutesAndServices() throws Exception {
        Privileges.requireRoot("endpoints are namespaces and cgroups; steering is BPF");
        SteeringNode node = new SteeringNode(dir, POOL, true);
        String server = node.endpoint("server", "app=server").path("ip").asText();
        node.endpoint("client-a", "role=client-a");
        assertThat(node.cli.run("service", "create", "web", "--vip", "10.96.233.10:80", "--backend", server + ":8080")
                .exit()).isZero();
        Path services = node.dir.resolve("state/services.json");
        assertThat(services).exists();
        node.stopAgent();

        String removed = NodeCleanup.uninstall(node.config);

        assertThat(removed).contains("detached sock_connect4").contains("detached sock_connect6")
                .contains("detached sockops_established")
                .contains("removed pins under /sys/fs/bpf/portcullis").contains("deleted netns pc-server")
                .contains("deleted netns pc-client-a").contains("deleted blackhole route " + POOL)
                .contains("removed the services created through the API (" + services + ")")
                .contains("portcullis uninstalled");
        assertThat(services).as("endpoints given the same addresses later must not inherit its backends")
                .doesNotExist();
        NodeCleanup.assertNothingLeftBehind(POOL);
        assertThat(NodeCleanup.uninstall(node.config)).contains("nothing to remove");
    }
}
