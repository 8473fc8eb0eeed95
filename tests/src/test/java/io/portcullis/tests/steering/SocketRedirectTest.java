package io.portcullis.tests.steering;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.tests.support.NodeCleanup;
import io.portcullis.tests.support.Privileges;
import io.portcullis.tests.support.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Socket redirect (sockops + sk_msg): with it on, the bytes between client, proxy and server
 * sockets skip the TCP/IP stack and the kernel's counters prove it; on or off, a 64 MiB response
 * through the proxy arrives byte-identical.
 */
class SocketRedirectTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POOL = "10.232.0.0/24";
    private static final int SIZE = 64 << 20;

    @TempDir
    static Path dir;
    static SteeringNode node;
    static JsonNode server;
    static String expectedSha256;

    @BeforeAll
    static void start() throws Exception {
        Privileges.requireRoot("endpoints are namespaces and cgroups; steering is BPF");
        node = new SteeringNode(dir, POOL, true);
        server = node.endpoint("server", "app=server");
        node.endpoint("client-a", "role=client-a");
        node.httpServer(server, 8080);
        Path big = dir.resolve("www/public/big");
        ProcessRunner.Result written = ProcessRunner.run(List.of("dd", "if=/dev/urandom", "of=" + big, "bs=1M",
                "count=" + (SIZE >> 20)));
        assertThat(Files.size(big)).as(written.stderr()).isEqualTo(SIZE);
        expectedSha256 = ProcessRunner.run(List.of("sha256sum", big.toString())).stdout().split(" ")[0];
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (node != null) {
            node.close();
            NodeCleanup.assertNothingLeftBehind(POOL);
        }
    }

    @Test
    void sixtyFourMebibytesArriveByteIdenticalWithRedirectOnAndOff() throws Exception {
        long before = counter("msgRedirected");
        assertThat(transferSha256()).as("redirect on").isEqualTo(expectedSha256);
        long redirected = counter("msgRedirected") - before;
        assertThat(redirected).as("messages moved socket to socket").isPositive();
        assertThat(counter("sockPaired")).as("sockets paired").isGreaterThanOrEqualTo(4);
        assertThat(status().path("socketRedirect").asBoolean()).isTrue();

        node.stopAgent();
        Files.writeString(node.config, Files.readString(node.config).replace("socketRedirect: true",
                "socketRedirect: false"));
        node.startAgent();
        assertThat(status().path("socketRedirect").asBoolean()).isFalse();
        long paired = counter("sockPaired");
        before = counter("msgRedirected");
        assertThat(transferSha256()).as("redirect off").isEqualTo(expectedSha256);
        assertThat(counter("msgRedirected")).as("nothing redirected").isEqualTo(before);
        assertThat(counter("sockPaired")).as("nothing paired").isEqualTo(paired);
    }

    private static String transferSha256() throws Exception {
        ProcessRunner.Result result = node.exec("client-a", "bash", "-c", "set -o pipefail; curl -sS --max-time 60 http://"
                + server.path("ip").asText() + ":8080/public/big | sha256sum");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        return result.stdout().split(" ")[0];
    }

    private static JsonNode status() throws Exception {
        return JSON.readTree(node.cli.run("status", "-o", "json").out()).path("steering");
    }

    private static long counter(String name) throws Exception {
        return status().path("counters").path(name).asLong();
    }
}
