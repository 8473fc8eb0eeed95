package io.portcullis.tests.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.agent.Agent;
import io.portcullis.config.AgentConfigLoader;
import io.portcullis.tests.support.NodeCleanup;
import io.portcullis.tests.support.Privileges;
import io.portcullis.tests.support.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code uplink:} removed from the config between two runs of the agent: the next start detaches
 * bpf_lb and the XDP prefilter from the device the first run attached them to, which only the
 * state directory still names.
 */
class UplinkChangeTest {
    private static final String POOL = "10.234.0.0/24";

    @TempDir
    Path dir;

    @Test
    void aStartWithoutTheUplinkDetachesFromTheOldOne() throws Exception {
        Privileges.requireRoot("XDP and TC programs on a veth uplink");
        Path config = dir.resolve("agent.yaml");
        Files.createDirectories(dir.resolve("policies"));
        try (WorldNetns world = new WorldNetns("198.23.0.0/16", "198.23.255.1")) {
            try {
                Files.writeString(config, configYaml("uplink: " + world.uplink + "\n"));
                Agent.start(AgentConfigLoader.load(config)).close();
                assertThat(tcIngress(world.uplink)).as("bpf_lb on the uplink").contains("lb_ingress");
                assertThat(link(world.uplink)).as("the XDP prefilter on the uplink").contains("xdp");
                assertThat(Files.readString(dir.resolve("state/uplink")).strip()).isEqualTo(world.uplink);

                Files.writeString(config, configYaml(""));
                Agent.start(AgentConfigLoader.load(config)).close();

                assertThat(tcIngress(world.uplink)).as("bpf_lb left the old uplink").doesNotContain("lb_ingress");
                assertThat(link(world.uplink)).as("the prefilter left the old uplink").doesNotContain("xdp");
                assertThat(dir.resolve("state/uplink")).doesNotExist();
            } finally {
                NodeCleanup.uninstall(config);
            }
        }
        NodeCleanup.assertNothingLeftBehind(POOL);
    }

    private String configYaml(String uplink) {
        return """
                datapath: bpf
                policyDir: policies
                accessLog: off
                apiSocket: run/agent.sock
                stateDir: state
                endpointPool: %s
                """.formatted(POOL) + uplink;
    }

    private static String tcIngress(String device) throws IOException, InterruptedException {
        return ProcessRunner.run(List.of("tc", "filter", "show", "dev", device, "ingress")).stdout();
    }

    private static String link(String device) throws IOException, InterruptedException {
        return ProcessRunner.run(List.of("ip", "link", "show", "dev", device)).stdout();
    }
}
