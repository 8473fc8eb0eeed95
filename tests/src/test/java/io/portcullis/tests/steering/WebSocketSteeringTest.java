package io.portcullis.tests.steering;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.tests.support.NodeCleanup;
import io.portcullis.tests.support.Privileges;
import io.portcullis.tests.support.ProcessRunner;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A WebSocket client in endpoint client-a connects to the server endpoint's real address; connect4
 * steers it into the proxy, which judges the opening handshake by the HTTP rules and, once the
 * server answered 101, carries the frames both ways. Client and server are unmodified
 * standard-library Python.
 */
class WebSocketSteeringTest {
    private static final String POOL = "10.227.0.0/24";

    @TempDir
    static Path dir;
    static SteeringNode node;
    static JsonNode server;

    @BeforeAll
    static void start() throws Exception {
        Privileges.requireRoot("endpoints are namespaces and cgroups; steering is BPF");
        node = new SteeringNode(dir, POOL, false);
        server = node.endpoint("server", "app=server");
        node.endpoint("client-a", "role=client-a");
        node.serverProcess(server, 8080, dir.resolve("ws-server.log"), "python3", script("echo_server.py"),
                server.path("ip").asText(), "8080");
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (node != null) {
            node.close();
            NodeCleanup.assertNothingLeftBehind(POOL);
        }
    }

    private static String script(String name) throws Exception {
        return Path.of(WebSocketSteeringTest.class.getResource("/websocket/" + name).toURI()).toString();
    }

    private static ProcessRunner.Result client(String path, String message) throws Exception {
        return node.exec("client-a", "python3", script("client.py"), server.path("ip").asText(), "8080", path, message);
    }

    @Test
    void anAllowedWebSocketIsCarriedThroughTheSteeredProxy() throws Exception {
        ProcessRunner.Result echo = client("/public/ws", "hello through the proxy");
        assertThat(echo.stdout().trim()).as(echo.stderr()).isEqualTo("101 hello through the proxy");

        JsonNode switched = node.accessLog.await(r -> "response".equals(r.path("type").asText())
                && r.path("http").path("code").asInt() == 101);
        assertThat(switched.path("source").path("endpoint").asText()).isEqualTo("client-a");
        assertThat(switched.path("destination").path("endpoint").asText()).isEqualTo("server");
        JsonNode closed = node.accessLog.await(r -> "close".equals(r.path("type").asText()));
        assertThat(closed.path("http").path("url").asText()).isEqualTo("/public/ws");
        assertThat(closed.path("tunnel").path("bytesFromClient").asLong()).isGreaterThan(0);
        assertThat(closed.path("tunnel").path("bytesToClient").asLong()).isGreaterThan(0);
    }

    @Test
    void aDeniedWebSocketGets403() throws Exception {
        ProcessRunner.Result denied = client("/private/ws", "never");
        assertThat(denied.stdout().trim()).as(denied.stderr()).isEqualTo("403");
        JsonNode record = node.accessLog.await(r -> "request".equals(r.path("type").asText())
                && "/private/ws".equals(r.path("http").path("url").asText()));
        assertThat(record.path("verdict").asText()).isEqualTo("denied");
    }
}
