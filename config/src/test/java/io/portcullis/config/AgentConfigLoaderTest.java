package io.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.config.yaml.ConfigException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigLoaderTest {
    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("agent.yaml"), yaml);
    }

    @Test
    void loadsAFullConfigWithPathsRelativeToTheFile() throws IOException {
        AgentConfig config = AgentConfigLoader.load(write("""
                datapath: none
                policyDir: policies
                accessLog: logs/access.log
                workerThreads: 1
                endpoints:
                  - name: frontend
                    labels: {role: frontend}
                    ips: [127.0.0.2, 127.0.0.3]
                listeners:
                  - port: 15001
                    upstream: "127.0.0.1:8080"
                http:
                  headerTimeout: 500ms
                  idleTimeout: 2m
                """));
        assertThat(config.datapath()).isEqualTo(Datapath.NONE);
        assertThat(config.policyDir()).isEqualTo(dir.resolve("policies"));
        assertThat(config.accessLog()).isEqualTo(dir.resolve("logs/access.log").toString());
        assertThat(config.endpoints().get(0).labels()).containsEntry("role", "frontend");
        assertThat(config.endpoints().get(0).ips()).contains(InetAddress.getByName("127.0.0.3"));
        assertThat(config.listeners().get(0).bind().getPort()).isEqualTo(15001);
        assertThat(config.listeners().get(0).upstream().getPort()).isEqualTo(8080);
        assertThat(config.http().headerTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.http().idleTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.http().maxHeaderBytes()).isEqualTo(HttpConfig.DEFAULTS.maxHeaderBytes());
    }

    @Test
    void unknownKeyNamesFileLineAndField() throws IOException {
        Path file = write("policyDir: p\nlisteners: [{port: 1, upstream: '127.0.0.1:2'}]\nacessLog: stdout\n");
        assertThatThrownBy(() -> AgentConfigLoader.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ":3:1: field 'acessLog': unknown field");
    }

    @Test
    void badUpstreamAndDurationAreReported() throws IOException {
        Path upstream = write("policyDir: p\nlisteners:\n  - port: 1\n    upstream: example.org:80\n");
        assertThatThrownBy(() -> AgentConfigLoader.load(upstream))
                .hasMessage(upstream + ":4:15: field 'listeners[0].upstream': expected an IPv4 address, found 'example.org'");
        Path timeout = write("policyDir: p\nlisteners: [{port: 1, upstream: '127.0.0.1:2'}]\nhttp: {idleTimeout: 5 days}\n");
        assertThatThrownBy(() -> AgentConfigLoader.load(timeout))
                .hasMessageContaining("field 'http.idleTimeout'");
    }

    @Test
    void oneAddressCannotBelongToTwoEndpoints() throws IOException {
        Path file = write("""
                policyDir: p
                listeners: [{port: 1, upstream: '127.0.0.1:2'}]
                endpoints:
                  - {name: a, ips: [127.0.0.2]}
                  - {name: b, ips: [127.0.0.2]}
                """);
        assertThatThrownBy(() -> AgentConfigLoader.load(file))
                .hasMessageContaining("field 'endpoints[1].ips[0]': address 127.0.0.2 belongs to two endpoints");
    }

    @Test
    void noneNeedsAListener() throws IOException {
        Path file = write("policyDir: p\n");
        assertThatThrownBy(() -> AgentConfigLoader.load(file)).hasMessageContaining("field 'listeners'");
    }
    @Test
    void http2LimitsDefaultAndOverride() throws IOException {
        Path none = write("policyDir: p\nlisteners: [{port: 1, upstream: '127.0.0.1:2'}]\n");
        assertThat(AgentConfigLoader.load(none).http2()).isEqualTo(Http2Config.DEFAULTS);
        assertThat(Http2Config.DEFAULTS.maxConcurrentStreams()).isEqualTo(100);
        assertThat(Http2Config.DEFAULTS.maxContinuationFrames()).isEqualTo(16);

        Path file = write("""
                policyDir: p
                listeners: [{port: 1, upstream: '127.0.0.1:2'}]
                http2:
                  maxConcurrentStreams: 10
                  maxHeaderListBytes: 8192
                  maxFrameBytes: 32768
                  initialWindowBytes: 1048576
                  maxContinuationFrames: 4
                  maxResetsPerWindow: 50
                  maxControlFramesPerWindow: 500
                  floodWindow: 5s
                  maxQueuedControlFrames: 1000
                  maxConsecutiveEmptyDataFrames: 3
                """);
        Http2Config http2 = AgentConfigLoader.load(file).http2();
        assertThat(http2).isEqualTo(new Http2Config(10, 8192, 32768, 1048576, 4, 50, 500, Duration.ofSeconds(5),
                1000, 3));
    }

    @Test
    void http2LimitsAreStrict() throws IOException {
        Path unknown = write("policyDir: p\nlisteners: [{port: 1, upstream: '127.0.0.1:2'}]\nhttp2: {maxStreams: 5}\n");
        assertThatThrownBy(() -> AgentConfigLoader.load(unknown))
                .hasMessageContaining("field 'http2.maxStreams': unknown field");
        Path tinyFrame = write("policyDir: p\nlisteners: [{port: 1, upstream: '127.0.0.1:2'}]\n"
                + "http2: {maxFrameBytes: 1000}\n");
        assertThatThrownBy(() -> AgentConfigLoader.load(tinyFrame))
                .hasMessageContaining("field 'http2.maxFrameBytes': 1000 is out of range [16384, 16777215]");
        Path zeroStreams = write("policyDir: p\nlisteners: [{port: 1, upstream: '127.0.0.1:2'}]\n"
                + "http2: {maxConcurrentStreams: 0}\n");
        assertThatThrownBy(() -> AgentConfigLoader.load(zeroStreams))
                .hasMessageContaining("field 'http2.maxConcurrentStreams'");
        Path fractional = write("policyDir: p\nlisteners: [{port: 1, upstream: '127.0.0.1:2'}]\n"
                + "http2: {floodWindow: 1500ms}\n");
        assertThatThrownBy(() -> AgentConfigLoader.load(fractional))
                .hasMessageContaining("field 'http2.floodWindow': must be a whole number of seconds");
    }

    @Test
    void bpfDatapathNeedsNoListenersAndHasSteeringDefaults() throws IOException {
        AgentConfig config = AgentConfigLoader.load(write("datapath: bpf\npolicyDir: p\n"));
        assertThat(config.datapath()).isEqualTo(Datapath.BPF);
        assertThat(config.bpf()).isEqualTo(BpfConfig.DEFAULTS);
        assertThat(config.bpf().proxyPort()).isEqualTo(15001);
        assertThat(config.bpf().socketRedirect()).isTrue();
        assertThat(config.bpf().denyAtConnect()).isTrue();
    }

    @Test
    void bpfSettingsOverrideAndAreStrict() throws IOException {
        AgentConfig config = AgentConfigLoader.load(write("""
                datapath: bpf
                policyDir: p
                bpf: {proxyPort: 15100, socketRedirect: false, denyAtConnect: false}
                """));
        assertThat(config.bpf()).isEqualTo(new BpfConfig(15100, false, false));

        Path badPort = write("datapath: bpf\npolicyDir: p\nbpf: {proxyPort: 0}\n");
        assertThatThrownBy(() -> AgentConfigLoader.load(badPort)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("0 is out of range [1, 65535]");
        Path badSwitch = write("datapath: bpf\npolicyDir: p\nbpf: {socketRedirect: yes}\n");
        assertThatThrownBy(() -> AgentConfigLoader.load(badSwitch)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("expected true or false");
        Path unknown = write("datapath: bpf\npolicyDir: p\nbpf: {sockRedirect: true}\n");
        assertThatThrownBy(() -> AgentConfigLoader.load(unknown)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("sockRedirect");
        Path notBpf = write("policyDir: p\nlisteners: [{port: 1, upstream: '127.0.0.1:2'}]\nbpf: {proxyPort: 1}\n");
        assertThatThrownBy(() -> AgentConfigLoader.load(notBpf)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("bpf settings need datapath: bpf");
    }
}
