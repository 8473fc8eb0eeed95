package io.portcullis.proxy.server;

import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.portcullis.config.HttpLimits;
import io.portcullis.proxy.accesslog.AccessLogEntry;
import io.portcullis.proxy.accesslog.AccessLogEntry.Type;
import io.portcullis.proxy.accesslog.AccessLogEntry.Verdict;
import io.portcullis.proxy.testing.H2WebSocketClient;
import io.portcullis.proxy.testing.H2WebSocketEchoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * WebSocket over HTTP/2 (extended CONNECT, RFC 8441) through the proxy's HTTP/2 listener: a
 * client and an echo server speaking RFC 6455 frames on one stream each side, with the proxy
 * judging the CONNECT as the GET of an HTTP/1.1 handshake.
 */
class WebSocketOverHttp2Test extends ProxyOnLoopback {
    private static final long WAIT_SECONDS = 30;

    private H2WebSocketEchoServer echo;
    private H2WebSocketClient client;

    @AfterEach
    void closeBothEnds() {
        if (client != null) {
            client.close();
        }
        if (echo != null) {
            echo.close();
        }
    }

    private void start(boolean upstreamAcceptsExtendedConnect, HttpLimits limits) throws Exception {
        echo = new H2WebSocketEchoServer(upstreamAcceptsExtendedConnect);
        int port = start(limits, echo.address());
        client = new H2WebSocketClient(new InetSocketAddress("127.0.0.1", port));
    }

    @Test
    void theListenerInvitesExtendedConnectAndMessagesAreEchoedThroughIt() throws Exception {
        start(true, HttpLimits.DEFAULTS);
        assertThat(client.serverSettings().connectProtocolEnabled()).isTrue();
        H2WebSocketClient.Socket socket = client.open("/chat/./room");
        assertThat(socket.response.get(WAIT_SECONDS, TimeUnit.SECONDS).status().toString()).isEqualTo("200");
        socket.send("hello");
        assertThat(socket.next(WAIT_SECONDS)).isEqualTo("hello");
        socket.send("again");
        assertThat(socket.next(WAIT_SECONDS)).isEqualTo("again");
        Http2Headers forwarded = echo.streams.get(0);
        assertThat(forwarded.method().toString()).isEqualTo("CONNECT");
        assertThat(forwarded.path().toString()).as("normalised as policy judged it").isEqualTo("/chat/room");
        assertThat(forwarded.get(Http2Headers.PseudoHeaderName.PROTOCOL.value()).toString()).isEqualTo("websocket");

        socket.close();
        waitForEntries(3);
        AccessLogEntry request = entries.get(0);
        assertThat(request.type()).isEqualTo(Type.REQUEST);
        assertThat(request.verdict()).isEqualTo(Verdict.FORWARDED);
        assertThat(request.http().method()).isEqualTo("CONNECT");
        assertThat(entries.get(1).http().code()).isEqualTo(200);
        AccessLogEntry closed = entries.get(2);
        assertThat(closed.type()).isEqualTo(Type.CLOSE);
        assertThat(closed.reason()).isEqualTo("stream reset by client (CANCEL)");
        assertThat(closed.tunnel().protocol()).isEqualTo("websocket");
        // Masked client frames: 2 + 4 + payload; server frames: 2 + payload.
        assertThat(closed.tunnel().bytesFromClient()).isEqualTo(2 * 6 + 5 + 5);
        assertThat(closed.tunnel().bytesToClient()).isEqualTo(2 * 2 + 5 + 5);
        assertThat(closed.tunnel().durationNs()).isPositive();
    }

    @Test
    void aDeniedWebSocketGets403AndNeverReachesTheUpstream() throws Exception {
        start(true, HttpLimits.DEFAULTS);
        H2WebSocketClient.Socket socket = client.open("/deny/chat");
        assertThat(socket.response.get(WAIT_SECONDS, TimeUnit.SECONDS).status().toString()).isEqualTo("403");
        waitForEntries(2);
        assertThat(entries.get(1).verdict()).isEqualTo(Verdict.DENIED);
        assertThat(echo.streams).as("streams the upstream saw").isEmpty();
    }

    @Test
    void anUpstreamThatDoesNotInviteExtendedConnectIsNeverSentOne() throws Exception {
        start(false, HttpLimits.DEFAULTS);
        H2WebSocketClient.Socket socket = client.open("/chat");
        assertThat(socket.response.get(WAIT_SECONDS, TimeUnit.SECONDS).status().toString()).isEqualTo("502");
        waitForEntries(2);
        assertThat(entries.get(1).verdict()).isEqualTo(Verdict.ERROR);
        assertThat(entries.get(1).reason()).contains("SETTINGS_ENABLE_CONNECT_PROTOCOL");
        assertThat(echo.streams).isEmpty();
    }

    @Test
    void anIdleWebSocketIsResetOnBothSides() throws Exception {
        start(true, HttpLimits.builder().websocketIdleTimeout(Duration.ofMillis(300)).build());
        H2WebSocketClient.Socket socket = client.open("/chat");
        assertThat(socket.response.get(WAIT_SECONDS, TimeUnit.SECONDS).status().toString()).isEqualTo("200");
        socket.send("x");
        assertThat(socket.next(WAIT_SECONDS)).isEqualTo("x");
        assertThat(socket.reset.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(Http2Error.CANCEL.code());
        waitForEntries(3);
        assertThat(entries.get(2).type()).isEqualTo(Type.CLOSE);
        assertThat(entries.get(2).reason()).isEqualTo("idle timeout");
        assertThat(entries.get(2).tunnel().durationNs()).isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos());
    }
}
