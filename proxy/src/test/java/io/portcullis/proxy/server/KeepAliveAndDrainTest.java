package io.portcullis.proxy.server;

import io.portcullis.config.HttpLimits;
import io.portcullis.proxy.testing.RawClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** How long a keep-alive connection lives: the idle timeout, and a draining proxy's last response and deadline. */
class KeepAliveAndDrainTest extends ProxyOnLoopback {
    @Test
    void idleKeepAliveConnectionIsClosed() throws Exception {
        int port = start(HttpLimits.builder().idleTimeout(Duration.ofMillis(300)).build(), upstream.address());
        try (RawClient client = new RawClient(port)) {
            assertThat(client.send("GET / HTTP/1.1\r\n" + H + "\r\n").read().status()).isEqualTo(200);
            long start = System.nanoTime();
            assertThat(client.closedByPeer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void everyRequestRestartsTheIdleTimeout() throws Exception {
        int port = start(HttpLimits.builder().idleTimeout(Duration.ofMillis(1000)).build(), upstream.address());
        try (RawClient client = new RawClient(port)) {
            for (int i = 0; i < 5; i++) {   // 2.5 s in all, more than two idle timeouts
                assertThat(client.send("GET /n" + i + " HTTP/1.1\r\n" + H + "\r\n").read().status()).isEqualTo(200);
                Thread.sleep(500);
            }
        }
        assertThat(upstream.received).hasSize(5);
        assertThat(upstream.connections.get()).isEqualTo(1);
    }

    @Test
    void drainingStopsAcceptingAndClosesKeepAliveConnectionsAtTheirNextResponse() throws Exception {
        int port = start();
        try (RawClient client = new RawClient(port)) {
            assertThat(client.send("GET /before HTTP/1.1\r\n" + H + "\r\n").read().status()).isEqualTo(200);
            CompletableFuture<Integer> cut = CompletableFuture.supplyAsync(() -> proxy.drain(Duration.ofSeconds(10)));
            while (accepts(port)) {
                Thread.sleep(10);
            }
            Thread.sleep(100);   // the drain event reaches the connection's event loop
            RawClient.Response last = client.send("GET /last HTTP/1.1\r\n" + H + "\r\n").read();
            assertThat(last.status()).isEqualTo(200);
            assertThat(last.header("connection")).isEqualTo("close");
            assertThat(client.closedByPeer()).isTrue();
            assertThat(cut.get(10, TimeUnit.SECONDS)).as("connections cut at the deadline").isZero();
        }
        assertThat(upstream.received).hasSize(2);
    }

    @Test
    void drainingClosesWhatIsStillOpenAtTheDeadlineAndCountsIt() throws Exception {
        int port = start();
        try (RawClient idle = new RawClient(port)) {
            assertThat(idle.send("GET /before HTTP/1.1\r\n" + H + "\r\n").read().status()).isEqualTo(200);
            assertThat(proxy.drain(Duration.ofMillis(300))).isEqualTo(1);
            assertThat(idle.closedByPeer()).isTrue();
        }
    }

    private static boolean accepts(int port) {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
