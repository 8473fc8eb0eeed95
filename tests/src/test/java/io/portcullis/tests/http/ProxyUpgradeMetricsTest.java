package io.portcullis.tests.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.agent.Agent;
import io.portcullis.config.AgentConfigLoader;
import io.portcullis.tests.support.Cli;
import io.portcullis.tests.support.PrometheusServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy's metrics address across an upgrade: the proxy that hands its listeners over frees the
 * address as it starts draining, and the new proxy process serves it; the old one's end is not
 * taken for a crash.
 */
class ProxyUpgradeMetricsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern START_TIME = Pattern.compile("(?m)^process_start_time_seconds ([0-9.eE+]+)$");
    private final HttpClient client = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private double proxyStartTime(int port) throws Exception {
        HttpResponse<String> page = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        Matcher matcher = START_TIME.matcher(page.body());
        assertThat(matcher.find()).as("process_start_time_seconds in " + page.body()).isTrue();
        return Double.parseDouble(matcher.group(1));
    }

    @Test
    void theNewProxyServesTheMetricsAddressAfterAnUpgrade() throws Exception {
        int proxyPort = PrometheusServer.freePort();
        Files.createDirectories(dir.resolve("policies"));
        Path config = Files.writeString(dir.resolve("agent.yaml"), """
                policyDir: policies
                accessLog: off
                apiSocket: run/agent.sock
                stateDir: state
                listeners: [{port: 0, upstream: "127.0.0.1:9"}]
                proxy: {drainTime: 5s}
                metrics: {proxyListen: "127.0.0.1:%d"}
                """.formatted(proxyPort));
        try (Agent agent = Agent.start(AgentConfigLoader.load(config))) {
            double before = proxyStartTime(proxyPort);

            agent.upgradeProxy();

            assertThat(proxyStartTime(proxyPort)).as("served by the new process").isGreaterThan(before);
            Thread.sleep(1000);
            JsonNode status = JSON.readTree(new Cli(dir.resolve("run/agent.sock")).run("status", "-o", "json").out());
            assertThat(status.path("proxy").path("restarts").asInt())
                    .as("the old proxy ending after its hand-over is no crash to restart it for: " + status)
                    .isZero();
        }
    }
}
