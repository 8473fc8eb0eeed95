package io.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.config.yaml.ConfigException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
                  - name: backend
                    namespace: shop
                    ips: [127.0.0.4]
                listeners:
                  - port: 15001
                    upstream: "127.0.0.1:8080"
                http:
                  headerTimeout: 500ms
                  idleTimeout: 2m
                  websocketIdleTimeout: 90s
                """));
        assertThat(config.datapath()).isEqualTo(Datapath.NONE);
        assertThat(config.policyDir()).isEqualTo(dir.resolve("policies"));
        assertThat(config.accessLog()).isEqualTo(dir.resolve("logs/access.log").toString());
        assertThat(config.endpoints().get(0).labels()).containsEntry("role", "frontend");
        assertThat(config.endpoints().get(0).ips()).contains(InetAddress.getByName("127.0.0.3"));
        assertThat(config.endpoints().get(0).namespace()).isEqualTo("default");
        assertThat(config.endpoints().get(1).namespace()).isEqualTo("shop");
        assertThat(config.listeners().get(0).bind().getPort()).isEqualTo(15001);
        assertThat(config.listeners().get(0).upstream().getPort()).isEqualTo(8080);
        assertThat(config.http().headerReadTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.http().idleTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.http().websocketIdleTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(config.http().maxHeaderSize()).isEqualTo(HttpLimits.DEFAULTS.maxHeaderSize());
    }

    @Test
    void refusesAFileThatIsNotUtf8AtTheFirstBadByte() throws IOException {
        Path file = Files.write(dir.resolve("agent.yaml"),
                "policyDir: p\nhttp: \u00ff".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> AgentConfigLoader.load(file)).isInstanceOf(ConfigException.class)
                .hasMessage(file + ":2:7: not UTF-8 text");
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
        assertThat(AgentConfigLoader.load(none).http2()).isEqualTo(Http2Limits.DEFAULTS);
        assertThat(Http2Limits.DEFAULTS.maxConcurrentStreams()).isEqualTo(100);
        assertThat(Http2Limits.DEFAULTS.maxContinuationFrames()).isEqualTo(16);

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
        Http2Limits http2 = AgentConfigLoader.load(file).http2();
        assertThat(http2).isEqualTo(Http2Limits.builder().maxConcurrentStreams(10).maxHeaderListSize(8192)
                .maxFrameSize(32768).initialWindowSize(1048576).maxContinuationFrames(4).maxResetsPerWindow(50)
                .maxControlFramesPerWindow(500).floodWindow(Duration.ofSeconds(5)).maxQueuedControlFrames(1000)
                .maxConsecutiveEmptyDataFrames(3).build());
    }

    @Test
    void policyAuditModeIsOffUnlessTrueAndAnythingElseIsRefused() throws IOException {
        String base = "policyDir: p\nlisteners: [{port: 1, upstream: '127.0.0.1:2'}]\n";
        assertThat(AgentConfigLoader.load(write(base)).policyAuditMode()).isFalse();
        assertThat(AgentConfigLoader.load(write(base + "policyAuditMode: true\n")).policyAuditMode()).isTrue();
        assertThat(AgentConfigLoader.load(write(base + "policyAuditMode: false\n")).policyAuditMode()).isFalse();
        Path on = write(base + "policyAuditMode: on\n");
        assertThatThrownBy(() -> AgentConfigLoader.load(on))
                .hasMessageContaining(":3:")
                .hasMessageContaining("field 'policyAuditMode': expected true or false, found 'on'");
    }

    @Test
    void kafkaReadLimitDefaultsOverridesAndIsChecked() throws IOException {
        String base = "policyDir: p\nlisteners: [{port: 1, upstream: '127.0.0.1:2'}]\n";
        assertThat(AgentConfigLoader.load(write(base)).kafka()).isEqualTo(KafkaConfig.DEFAULTS);
        assertThat(AgentConfigLoader.load(write(base + "kafka: {maxReadResponseBytes: 1048576}\n")).kafka()
                .maxReadResponseBytes()).isEqualTo(1048576);
        Path tiny = write(base + "kafka: {maxReadResponseBytes: 1000}\n");
        assertThatThrownBy(() -> AgentConfigLoader.load(tiny))
                .hasMessageContaining("field 'kafka.maxReadResponseBytes': 1000 is out of range [65536,");
        Path unknown = write(base + "kafka: {maxResponseBytes: 1}\n");
        assertThatThrownBy(() -> AgentConfigLoader.load(unknown))
                .hasMessageContaining("field 'kafka.maxResponseBytes': unknown field");
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

    @Test
    void servicesLoadWithDefaultsAndTheirLocation() throws IOException {
        Path file = write("""
                datapath: bpf
                policyDir: p
                services:
                  - name: web
                    vip: "10.96.0.10:80"
                    backends: ["10.200.0.5:8080", "192.0.2.7:8080"]
                  - name: dns
                    namespace: kube-system
                    labels: {k8s-app: kube-dns}
                    vip: 10.96.0.53:53
                    protocol: udp
                    backends: []
                    algorithm: Maglev
                """);
        AgentConfig config = AgentConfigLoader.load(file);

        assertThat(config.services()).hasSize(2);
        ServiceConfig web = config.services().get(0);
        assertThat(web.name()).isEqualTo("web");
        assertThat(web.vip()).isEqualTo(new InetSocketAddress(InetAddress.getByName("10.96.0.10"), 80));
        assertThat(web.protocol()).isEqualTo(ServiceConfig.Protocol.TCP);
        assertThat(web.algorithm()).isEqualTo(ServiceConfig.Algorithm.RANDOM);
        assertThat(web.backends()).containsExactly(new InetSocketAddress(InetAddress.getByName("10.200.0.5"), 8080),
                new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 8080));
        assertThat(web.location().toString()).isEqualTo(file + ":4:5");
        assertThat(web.namespace()).isEqualTo("default");
        assertThat(web.labels()).isEmpty();
        ServiceConfig dns = config.services().get(1);
        assertThat(dns.frontend()).isEqualTo("10.96.0.53:53/udp");
        assertThat(dns.backends()).isEmpty();
        assertThat(dns.algorithm()).isEqualTo(ServiceConfig.Algorithm.MAGLEV);
        assertThat(dns.namespace()).isEqualTo("kube-system");
        assertThat(dns.labels()).containsEntry("k8s-app", "kube-dns");
    }

    @Test
    void serviceMistakesNameFileLineColumnAndField() throws IOException {
        String head = "datapath: bpf\npolicyDir: p\nservices:\n";
        assertServiceError(head + "  - {name: web, namespace: Web_1, vip: '10.96.0.1:80', backends: []}\n",
                ":4:28: field 'services[0].namespace': namespace 'Web_1' must be 1-63 lowercase letters, digits or"
                        + " '-', starting and ending with a letter or digit");
        assertServiceError(head + "  - {name: web, vip: 'example.org:80', backends: []}\n",
                ":4:22: field 'services[0].vip': 'example.org' in 'example.org:80' is not an IPv4 address");
        assertServiceError(head + "  - {name: web, vip: '10.96.0.10', backends: []}\n",
                ":4:22: field 'services[0].vip': expected IP:PORT such as 10.96.0.10:80, found '10.96.0.10'");
        assertServiceError(head + "  - {name: web, vip: '10.96.0.10:80', backends: ['10.1.0.1:70000']}\n",
                ":4:50: field 'services[0].backends[0]': port 70000 of '10.1.0.1:70000' is out of range [1, 65535]");
        assertServiceError(head + "  - {name: web, vip: '10.96.0.10:0', backends: []}\n",
                ":4:22: field 'services[0].vip': port 0 of '10.96.0.10:0' is out of range [1, 65535]");
        assertServiceError(head + "  - {name: web, vip: '10.96.0.10:80', backends: [], weight: 3}\n",
                ":4:53: field 'services[0].weight': unknown field");
        assertServiceError(head + "  - {name: web, vip: '10.96.0.10:80', protocol: SCTP, backends: []}\n",
                ":4:49: field 'services[0].protocol': unknown protocol 'SCTP'; expected TCP or UDP");
        assertServiceError(head + "  - {name: web, vip: '10.96.0.10:80', algorithm: hash, backends: []}\n",
                ":4:50: field 'services[0].algorithm': unknown algorithm 'hash'; expected random or maglev");
        assertServiceError(head + "  - {name: Web_1, vip: '10.96.0.10:80', backends: []}\n",
                ":4:12: field 'services[0].name': service name 'Web_1' must be");
        assertServiceError(head + "  - {name: web, vip: '10.96.0.10:80'}\n",
                ":4:5: field 'services[0].backends': is required");
        assertServiceError(head + "  - {name: web, vip: '10.96.0.10:80', backends: ['10.1.0.1:80', '10.1.0.1:80']}\n",
                ":4:65: field 'services[0].backends[1]': backend 10.1.0.1:80 is listed twice");
        assertServiceError(head + "  - {name: web, vip: '10.200.3.4:80', backends: []}\n",
                ":4:22: field 'services[0].vip': 10.200.3.4 lies in endpointPool 10.200.0.0/16");
    }

    @Test
    void serviceNamesAndFrontendsAreUnique() throws IOException {
        String head = "datapath: bpf\npolicyDir: p\nservices:\n";
        assertServiceError(head + "  - {name: web, vip: '10.96.0.10:80', backends: []}\n"
                        + "  - {name: web, vip: '10.96.0.11:80', backends: []}\n",
                ":5:12: field 'services[1].name': duplicate service name 'web'");
        assertServiceError(head + "  - {name: web, vip: '10.96.0.10:80', backends: []}\n"
                        + "  - {name: www, vip: '10.96.0.10:80', protocol: TCP, backends: []}\n",
                ":5:22: field 'services[1].vip': frontend 10.96.0.10:80/tcp already belongs to service 'web'");
        AgentConfig sameVipOtherProtocol = AgentConfigLoader.load(write(head
                + "  - {name: web, vip: '10.96.0.10:80', backends: []}\n"
                + "  - {name: quic, vip: '10.96.0.10:80', protocol: UDP, backends: []}\n"));
        assertThat(sameVipOtherProtocol.services()).hasSize(2);
    }

    @Test
    void servicesNeedTheBpfDatapath() throws IOException {
        Path file = write("policyDir: p\nlisteners: [{port: 1, upstream: '127.0.0.1:2'}]\n"
                + "services:\n  - {name: web, vip: '10.96.0.10:80', backends: []}\n");
        assertThatThrownBy(() -> AgentConfigLoader.load(file)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ":4:3: field 'services': services need datapath: bpf");
    }

    private void assertServiceError(String yaml, String expected) throws IOException {
        Path file = write(yaml);
        assertThatThrownBy(() -> AgentConfigLoader.load(file)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + expected);
    }
}
