package io.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.config.yaml.ConfigException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsConfigTest {
    private static final String BASE = """
            policyDir: .
            listeners: [{port: 8080, upstream: "127.0.0.1:9"}]
            """;
    @TempDir
    Path dir;

    private AgentConfig load(String metrics) throws IOException {
        return AgentConfigLoader.load(Files.writeString(dir.resolve("agent.yaml"), BASE + metrics));
    }

    @Test
    void offUnlessWritten() throws IOException {
        AgentConfig config = load("");

        assertThat(config.metrics()).isEqualTo(MetricsConfig.OFF);
        assertThat(ProxySettings.of(config).metricsListen()).isNull();
    }

    @Test
    void agentAndProxyAddressesOnLoopback() throws IOException {
        MetricsConfig metrics = load("""
                metrics: {listen: "127.0.0.1:9962", proxyListen: "127.0.0.1:9964", maxTopics: 20}
                """).metrics();

        assertThat(metrics.listen()).isEqualTo(new InetSocketAddress("127.0.0.1", 9962));
        assertThat(metrics.proxyListen()).isEqualTo(new InetSocketAddress("127.0.0.1", 9964));
        assertThat(metrics.maxTopics()).isEqualTo(20);
    }

    @Test
    void anAddressBeyondLoopbackNeedsAllowRemote() throws IOException {
        assertThatThrownBy(() -> load("metrics: {listen: \"10.0.0.1:9962\"}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("metrics.listen")
                .hasMessageContaining("10.0.0.1:9962 is not a loopback address")
                .hasMessageContaining("metrics.allowRemote");

        assertThat(load("metrics: {listen: \"0.0.0.0:9962\", allowRemote: true}\n").metrics().listen())
                .isEqualTo(new InetSocketAddress("0.0.0.0", 9962));
    }

    @Test
    void badAddressesAndSharedAddressesAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> load("metrics: {proxyListen: \"localhost:9962\"}\n"))
                .hasMessageContaining("metrics.proxyListen").hasMessageContaining("not an IPv4 address");
        assertThatThrownBy(() -> load("metrics: {listen: \"127.0.0.1:0\"}\n"))
                .hasMessageContaining("metrics.listen").hasMessageContaining("out of range");
        assertThatThrownBy(() -> load("metrics: {listen: \"127.0.0.1:9962\", proxyListen: \"127.0.0.1:9962\"}\n"))
                .hasMessageContaining("metrics.proxyListen").hasMessageContaining("must differ");
        assertThatThrownBy(() -> load("metrics: {port: 9962}\n")).hasMessageContaining("port");
    }
}
