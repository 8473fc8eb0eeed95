package io.portcullis.proxy.server;

import io.portcullis.config.HttpLimits;
import io.portcullis.proxy.accesslog.AccessLogEntry;
import io.portcullis.proxy.testing.RawClient;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;

/** An upstream that refuses, closes early or asks to close: 503, 502 or a close, and no reuse. */
class UpstreamFailureTest extends ProxyOnLoopback {
    @Test
    void refusedUpstreamGives503() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        int port = start(HttpLimits.DEFAULTS, new InetSocketAddress("127.0.0.1", closedPort));
        try (RawClient client = new RawClient(port)) {
            RawClient.Response r = client.send("GET / HTTP/1.1\r\n" + H + "\r\n").read();
            assertThat(r.status()).isEqualTo(503);
            assertThat(client.closedByPeer()).isTrue();
        }
        waitForEntries(2);
        assertThat(entries.get(1).verdict()).isEqualTo(AccessLogEntry.Verdict.ERROR);
        assertThat(entries.get(1).http().code()).isEqualTo(503);
    }

    @Test
    void upstreamClosingWithoutAnswerGives502() throws Exception {
        int port = start();
        try (RawClient client = new RawClient(port)) {
            assertThat(client.send("GET /reset HTTP/1.1\r\n" + H + "\r\n").read().status()).isEqualTo(502);
            assertThat(client.closedByPeer()).isTrue();
        }
    }

    @Test
    void upstreamClosingMidResponseClosesTheClient() throws Exception {
        int port = start();
        try (RawClient client = new RawClient(port)) {
            client.send("GET /close-mid HTTP/1.1\r\n" + H + "\r\n");
            assertThat(client.readHead().status()).isEqualTo(200);
            byte[] partial = new byte[7];
            int n = 0;
            for (int b; n < 7 && (b = readByte(client)) >= 0; n++) {
                partial[n] = (byte) b;
            }
            assertThat(new String(partial, 0, n)).isEqualTo("partial");
            assertThat(client.closedByPeer()).isTrue();
        }
    }

    private static int readByte(RawClient client) throws java.io.IOException {
        try {
            java.lang.reflect.Field f = RawClient.class.getDeclaredField("in");
            f.setAccessible(true);
            return ((java.io.InputStream) f.get(client)).read();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anUpstreamThatSaysConnectionCloseIsNotReused() throws Exception {
        int port = start();
        try (RawClient client = new RawClient(port)) {
            assertThat(client.send("GET /says-close HTTP/1.1\r\n" + H + "\r\n").read().status()).isEqualTo(200);
            assertThat(client.send("GET /next HTTP/1.1\r\n" + H + "\r\n").read().status()).isEqualTo(200);
        }
        assertThat(upstream.connections.get()).as("a new upstream connection for the second request").isEqualTo(2);
    }
}
