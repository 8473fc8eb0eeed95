package io.portcullis.agent.metrics;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.agent.Agent;
import io.portcullis.config.AgentConfigLoader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentMetricsAddressTest {
    @TempDir
    Path dir;

    @Test
    void aTakenMetricsAddressIsAStartUpErrorNamingTheKey() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Files.createDirectories(dir.resolve("policies"));
            Path config = Files.writeString(dir.resolve("agent.yaml"), """
                    policyDir: policies
                    apiSocket: run/agent.sock
                    stateDir: state
                    listeners: [{port: 0, upstream: "127.0.0.1:9"}]
                    proxy: {supervise: false}
                    metrics: {listen: "127.0.0.1:%d"}
                    """.formatted(taken.getLocalPort()));

            assertThatThrownBy(() -> Agent.start(AgentConfigLoader.load(config)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("metrics.listen: cannot serve metrics on 127.0.0.1:" + taken.getLocalPort());
        }
    }
}
