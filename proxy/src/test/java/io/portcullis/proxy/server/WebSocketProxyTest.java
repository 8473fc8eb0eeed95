package io.portcullis.proxy.server;

import io.portcullis.config.HttpLimits;
import io.portcullis.proxy.accesslog.AccessLogEntry;
import io.portcullis.proxy.accesslog.AccessLogEntry.Type;
import io.portcullis.proxy.accesslog.AccessLogEntry.Verdict;
import io.portcullis.proxy.testing.RawClient;
import io.portcullis.proxy.testing.TcpSockets;
import io.portcullis.proxy.testing.WebSocketEchoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * WebSocket through the HTTP/1.1 listener, end to end: the JDK's WebSocket client, the proxy, and
 * a Netty WebSocket echo server as the upstream.
 */
class WebSocketProxyTest extends ProxyOnLoopback {
    /** Generous: the suite shares a loaded machine; a working proxy answers in milliseconds. */
    private static final long WAIT_SECONDS = 30;
    private static final long GONE_WITHIN_MILLIS = 10_000;

    private final WebSocketEchoServer echo = new WebSocketEchoServer();
    /** Held for the test's length: an unreachable HttpClient is shut down, closing its WebSockets. */
    private final List<Client> clients = new ArrayList<>();
    private int proxyPort;

    WebSocketProxyTest() throws InterruptedException {
    }

    @AfterEach
    void stopEcho() {
        echo.close();
    }

    private int startProxy(HttpLimits limits) throws Exception {
        proxyPort = start(limits, echo.address());
        return proxyPort;
    }

    private Client connect(String path) throws Exception {
        Client client = new Client();
        clients.add(client);
        client.socket = client.http.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + proxyPort + path), client).get(WAIT_SECONDS, TimeUnit.SECONDS);
        return client;
    }

    @Test
    void textAndBinaryMessagesAreEchoedThroughTheProxy() throws Exception {
        startProxy(HttpLimits.DEFAULTS);
        Client client = connect("/ws");
        client.socket.sendText("hello", true).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(client.next()).isEqualTo("hello");
        byte[] binary = {0, 1, 2, (byte) 0xff, 13, 10};
        client.socket.sendBinary(ByteBuffer.wrap(binary), true).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat((byte[]) client.next()).containsExactly(binary);
        client.socket.sendText("again", true).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(client.next()).isEqualTo("again");
        assertThat(echo.connections.get()).isEqualTo(1);

        client.socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(client.closed.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
        waitForEntries(3);
        AccessLogEntry request = entries.get(0);
        AccessLogEntry switched = entries.get(1);
        AccessLogEntry closed = entries.get(2);
        assertThat(request.type()).isEqualTo(Type.REQUEST);
        assertThat(request.verdict()).isEqualTo(Verdict.FORWARDED);
        assertThat(request.http().method()).isEqualTo("GET");
        assertThat(request.http().url()).isEqualTo("/ws");
        assertThat(switched.type()).isEqualTo(Type.RESPONSE);
        assertThat(switched.http().code()).isEqualTo(101);
        assertThat(closed.type()).isEqualTo(Type.CLOSE);
        assertThat(closed.http().code()).isEqualTo(101);
        assertThat(closed.tunnel().protocol()).isEqualTo("websocket");
        // Masked client frames: 2 + 4 + payload; server frames: 2 + payload; plus the close frames.
        assertThat(closed.tunnel().bytesFromClient()).isGreaterThanOrEqualTo(3 * 6 + 5 + 6 + 5);
        assertThat(closed.tunnel().bytesToClient()).isGreaterThanOrEqualTo(3 * 2 + 5 + 6 + 5);
        assertThat(closed.tunnel().durationNs()).isPositive();
        assertThat(closed.toJson()).contains("\"type\":\"close\"", "\"tunnel\":{\"protocol\":\"websocket\"");
    }

    @Test
    void aOneMebibyteMessageCrossesBothWays() throws Exception {
        startProxy(HttpLimits.DEFAULTS);
        Client client = connect("/ws");
        byte[] large = new byte[1 << 20];
        new Random(14).nextBytes(large);
        client.socket.sendBinary(ByteBuffer.wrap(large), true).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat((byte[]) client.next()).isEqualTo(large);
        client.socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(WAIT_SECONDS, TimeUnit.SECONDS);
        client.closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
        waitForEntries(3);
        assertThat(entries.get(2).tunnel().bytesFromClient()).isGreaterThan(1 << 20);
        assertThat(entries.get(2).tunnel().bytesToClient()).isGreaterThan(1 << 20);
    }

    @Test
    void aDeniedUpgradeGets403AndNeverReachesTheUpstream() throws Exception {
        startProxy(HttpLimits.DEFAULTS);
        assertThatThrownBy(() -> connect("/deny/ws")).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode())
                        .isEqualTo(403));
        waitForEntries(2);
        assertThat(entries.get(1).verdict()).isEqualTo(Verdict.DENIED);
        assertThat(entries.get(1).http().code()).isEqualTo(403);
        assertThat(echo.connections.get()).as("connections the upstream saw").isZero();
    }

    @Test
    void aClientCloseEndsBothConnections() throws Exception {
        startProxy(HttpLimits.DEFAULTS);
        Client client = connect("/ws");
        client.socket.sendText("x", true).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(client.next()).isEqualTo("x");
        client.socket.sendClose(WebSocket.NORMAL_CLOSURE, "client leaves").get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(client.closed.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
        assertNoSocketLeft();
        waitForEntries(3);
        assertThat(entries.get(2).reason()).endsWith("closed");
    }

    @Test
    void anUpstreamCloseEndsBothConnections() throws Exception {
        startProxy(HttpLimits.DEFAULTS);
        Client client = connect("/ws");
        client.socket.sendText(WebSocketEchoServer.BYE, true).get(WAIT_SECONDS, TimeUnit.SECONDS);
        // The server drops the connection: the client learns it from the proxy's close.
        assertThat(client.ended.get(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertNoSocketLeft();
        waitForEntries(3);
        assertThat(entries.get(2).reason()).isEqualTo("upstream closed");
    }

    @Test
    void anIdleWebSocketIsClosed() throws Exception {
        startProxy(HttpLimits.builder().websocketIdleTimeout(Duration.ofMillis(300)).build());
        Client client = connect("/ws");
        // No close frame comes: the client learns of the end from the connection (abnormal closure).
        assertThat(client.ended.get(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertNoSocketLeft();
        waitForEntries(3);
        assertThat(entries.get(2).reason()).isEqualTo("idle timeout");
        assertThat(entries.get(2).tunnel().durationNs()).isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos());
    }

    @Test
    void anUpstreamThatRefusesTheUpgradeIsRelayedAndTheConnectionStaysHttp() throws Exception {
        startProxy(HttpLimits.DEFAULTS);
        String handshake = "GET /not-a-socket HTTP/1.1\r\n" + H + "Connection: Upgrade\r\nUpgrade: websocket\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
        try (RawClient client = new RawClient(proxyPort)) {
            assertThat(client.send(handshake).read().status()).isEqualTo(404);
            assertThat(client.send("GET /next HTTP/1.1\r\n" + H + "\r\n").read().status()).isEqualTo(404);
        }
        assertThat(echo.connections.get()).as("one upstream connection carried both").isEqualTo(1);
    }

    @Test
    void aRequestPipelinedBehindTheHandshakeClosesBothConnections() throws Exception {
        startProxy(HttpLimits.DEFAULTS);
        String handshake = "GET /ws HTTP/1.1\r\n" + H + "Connection: Upgrade\r\nUpgrade: websocket\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
        try (RawClient client = new RawClient(proxyPort)) {
            // Decoded as HTTP before the 101 came: the tunnel could not carry it as the bytes that were sent.
            client.send(handshake + "GET /next HTTP/1.1\r\n" + H + "\r\n");
            assertThat(client.readHead().status()).isEqualTo(101);
            assertThat(client.closedByPeer()).isTrue();
        }
        assertNoSocketLeft();
        waitForEntries(3);
        assertThat(entries.get(2).type()).isEqualTo(Type.CLOSE);
        assertThat(entries.get(2).reason()).isEqualTo("client sent data before the protocol switch");
    }

    @Test
    void anotherUpgradeTokenIsNotCarried() throws Exception {
        startProxy(HttpLimits.DEFAULTS);
        String handshake = "GET /ws HTTP/1.1\r\n" + H + "Connection: Upgrade\r\nUpgrade: foo\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
        try (RawClient client = new RawClient(proxyPort)) {
            // Without Upgrade the echo server's handshaker refuses: the request reached it as plain HTTP.
            assertThat(client.send(handshake).read().status()).isEqualTo(400);
        }
    }

    private void assertNoSocketLeft() throws InterruptedException {
        int upstreamPort = echo.address().getPort();
        assertThat(TcpSockets.awaitGone(TcpSockets.acceptedOn(proxyPort).or(TcpSockets.connectedTo(upstreamPort))
                .or(TcpSockets.acceptedOn(upstreamPort)).or(TcpSockets.connectedTo(proxyPort)), GONE_WITHIN_MILLIS))
                .isEmpty();
        // The server's group forgets a channel in a listener that runs after the socket closed.
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GONE_WITHIN_MILLIS);
        while (echo.openConnections() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(echo.openConnections()).isZero();
    }

    /** The JDK client's listener: whole messages (text as String, binary as byte[]) and the end. */
    private static final class Client implements WebSocket.Listener {
        final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        final CompletableFuture<Boolean> ended = new CompletableFuture<>();
        final StringBuilder text = new StringBuilder();
        final ByteArrayOutputStream binary = new ByteArrayOutputStream();
        final HttpClient http = HttpClient.newHttpClient();
        WebSocket socket;

        Object next() throws InterruptedException {
            Object m = messages.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(m).as("a message within " + WAIT_SECONDS + " s").isNotNull();
            return m;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(Long.MAX_VALUE);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add(text.toString());
                text.setLength(0);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.writeBytes(bytes);
            if (last) {
                messages.add(binary.toByteArray());
                binary.reset();
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            ended.complete(true);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
            ended.complete(true);
        }
    }
}
