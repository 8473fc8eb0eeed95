package io.portcullis.proxy.server;

import io.portcullis.config.HttpLimits;
import io.portcullis.proxy.accesslog.AccessLogEntry;
import io.portcullis.proxy.testing.RawClient;
import io.portcullis.proxy.testing.TestUpstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Malformed, smuggled, oversized and too slow requests are refused with their status and never forwarded. */
class RequestRefusalTest extends ProxyOnLoopback {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "CL+TE          | POST / HTTP/1.1\\r\\nHost: svc\\r\\nContent-Length: 4\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n | 400",
            "duplicate CL   | POST / HTTP/1.1\\r\\nHost: svc\\r\\nContent-Length: 4\\r\\nContent-Length: 4\\r\\n\\r\\nabcd | 400",
            "TE gzip        | POST / HTTP/1.1\\r\\nHost: svc\\r\\nTransfer-Encoding: gzip\\r\\n\\r\\nabcd | 400",
            "obs-fold       | GET / HTTP/1.1\\r\\nHost: svc\\r\\nX-A: a\\r\\n b\\r\\n\\r\\n | 400",
            "bare LF        | GET / HTTP/1.1\\nHost: svc\\n\\n | 400",
            "bad name       | GET / HTTP/1.1\\r\\nHost: svc\\r\\nBad Name: x\\r\\n\\r\\n | 400",
            "encoded slash  | GET /a%2Fb HTTP/1.1\\r\\nHost: svc\\r\\n\\r\\n | 400",
            "backslash      | GET /a\\\\..\\\\b HTTP/1.1\\r\\nHost: svc\\r\\n\\r\\n | 400",
            "dot params     | GET /public/..;/admin HTTP/1.1\\r\\nHost: svc\\r\\n\\r\\n | 400",
            "HTTP/2.0       | GET / HTTP/2.0\\r\\nHost: svc\\r\\n\\r\\n | 505",
            "CONNECT        | CONNECT svc:443 HTTP/1.1\\r\\nHost: svc\\r\\n\\r\\n | 400",
    })
    void badInputIsRefusedAndNeverForwarded(String name, String raw, int status) throws Exception {
        int port = start();
        try (RawClient client = new RawClient(port)) {
            RawClient.Response r = client.send(raw.replace("\\r", "\r").replace("\\n", "\n").replace("\\\\", "\\")
                    + "GET /after HTTP/1.1\r\nHost: svc\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(status);
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(client.closedByPeer()).isTrue();
        }
        assertThat(upstream.connections.get()).isZero();
        assertThat(upstream.received).isEmpty();
        waitForEntries(1);
        assertThat(entries.get(0).verdict()).isEqualTo(AccessLogEntry.Verdict.ERROR);
        assertThat(entries.get(0).http().code()).isEqualTo(status);
    }

    @Test
    void smugglingAfterAGoodRequestDoesNotReachTheUpstream() throws Exception {
        int port = start();
        try (RawClient client = new RawClient(port)) {
            client.send("GET /first HTTP/1.1\r\n" + H + "\r\n"
                    + "POST / HTTP/1.1\r\n" + H + "Content-Length: 30\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "0\r\n\r\nGET /smuggled HTTP/1.1\r\n" + H + "\r\n");
            assertThat(client.read().status()).isEqualTo(200);
            assertThat(client.read().status()).isEqualTo(400);
            assertThat(client.closedByPeer()).isTrue();
        }
        assertThat(upstream.received).extracting(TestUpstream.Received::uri).containsExactly("/first");
    }

    @Test
    void oversizedRequestLineAndHeadersGet414And431() throws Exception {
        int port = start(HttpLimits.builder().maxInitialLineLength(100).maxHeaderSize(200).build(), upstream.address());
        try (RawClient client = new RawClient(port)) {
            assertThat(client.send("GET /" + "a".repeat(200) + " HTTP/1.1\r\n" + H + "\r\n").read().status()).isEqualTo(414);
        }
        try (RawClient client = new RawClient(port)) {
            assertThat(client.send("GET / HTTP/1.1\r\n" + H + "X-Big: " + "b".repeat(300) + "\r\n\r\n").read().status())
                    .isEqualTo(431);
        }
        assertThat(upstream.connections.get()).isZero();
    }

    @Test
    void slowHeaderGets408() throws Exception {
        int port = start(HttpLimits.builder().headerReadTimeout(Duration.ofMillis(300)).build(), upstream.address());
        try (RawClient client = new RawClient(port)) {
            client.send("GET / HTTP/1.1\r\n");
            RawClient.Response r = client.read();
            assertThat(r.status()).isEqualTo(408);
            assertThat(client.closedByPeer()).isTrue();
        }
        assertThat(upstream.connections.get()).isZero();
    }
}
