package io.portcullis.proxy.http2;

import io.portcullis.proxy.server.ProxyServer;
import io.portcullis.proxy.testing.FakePolicy;
import io.portcullis.proxy.testing.H2TestUpstream;
import io.portcullis.proxy.testing.RawH2Client;
import io.portcullis.proxy.testing.RawH2Client.Frame;
import io.portcullis.proxy.testing.TestProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;


import static io.portcullis.proxy.testing.RawH2Client.hpack;
import static io.portcullis.proxy.testing.RawH2Client.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 9113 §5.1 stream states at the proxy's HTTP/2 listener, and the rule that a request stream
 * is judged malformed whenever it turns malformed, even after the upstream answered it in full.
 */
class Http2StreamStateTest {
    private static final int PROTOCOL_ERROR = 0x1;
    private static final int STREAM_CLOSED = 0x5;

    private H2TestUpstream upstream;
    private ProxyServer proxy;
    private RawH2Client client;

    private void start(boolean upstreamAnswersOnHeaders) throws Exception {
        upstream = new H2TestUpstream(upstreamAnswersOnHeaders);
        proxy = TestProxy.start(upstream.address(), FakePolicy.l7());
        client = new RawH2Client(proxy.boundPort(0));
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        proxy.close();
        upstream.close();
    }

    @Test
    void headersOnAHalfClosedRemoteStreamIsAStreamErrorStreamClosed() throws Exception {
        start(false);
        client.headers(1, true, request("GET", "/hold/a")).headers(1, true, request("GET", "/hold/b")).flush();

        Frame reset = client.awaitReset(1);
        assertThat(reset).as("frames: " + client.received).isNotNull();
        assertThat(reset.errorCode()).isEqualTo(STREAM_CLOSED);
        client.headers(3, true, request("GET", "/ok")).flush();
        assertThat(client.headers(3).get(0).status().toString()).as("the connection survives").isEqualTo("200");
    }

    @Test
    void headersOnAClosedStreamIsAConnectionErrorStreamClosed() throws Exception {
        start(false);
        client.headers(1, true, request("GET", "/done")).flush();
        client.await(f -> f.type() == RawH2Client.DATA && (f.flags() & RawH2Client.END_STREAM) != 0, 3000);
        client.headers(1, true, request("GET", "/again")).flush();

        Frame goAway = client.awaitGoAway();
        assertThat(goAway).as("frames: " + client.received).isNotNull();
        assertThat(goAwayCode(goAway)).isEqualTo(STREAM_CLOSED);
        assertThat(upstream.streams).extracting(h -> h.path().toString()).containsExactly("/done");
    }

    @Test
    void aStreamIdentifierSmallerThanAnEarlierOneIsAConnectionErrorProtocolError() throws Exception {
        start(false);
        client.headers(5, true, request("GET", "/five")).headers(3, true, request("GET", "/three")).flush();

        Frame goAway = client.awaitGoAway();
        assertThat(goAway).as("frames: " + client.received).isNotNull();
        assertThat(goAwayCode(goAway)).isEqualTo(PROTOCOL_ERROR);
        assertThat(upstream.streams).extracting(h -> h.path().toString()).doesNotContain("/three");
    }

    @Test
    void secondHeaderBlockWithoutEndStreamIsResetAfterAnEarlyAnswer() throws Exception {
        assertResetAfterEarlyAnswer(() -> client.headers(1, false, hpack("x-trailer", "1")).flush());
    }

    @Test
    void pseudoHeaderInTrailersIsResetAfterAnEarlyAnswer() throws Exception {
        assertResetAfterEarlyAnswer(() -> client.headers(1, true, hpack(":path", "/evil")).flush());
    }

    @Test
    void contentLengthNotMatchingTheDataIsResetAfterAnEarlyAnswer() throws Exception {
        assertResetAfterEarlyAnswer(() -> client.data(1, true, "too long for four".getBytes()).flush());
    }

    private void assertResetAfterEarlyAnswer(ClientStep malformedEnd) throws Exception {
        start(true);
        client.headers(1, false, request("POST", "/early", "content-length", "4")).flush();
        client.await(f -> f.type() == RawH2Client.DATA && (f.flags() & RawH2Client.END_STREAM) != 0, 3000);
        assertThat(client.body(1)).as("the upstream answered before the request ended").startsWith("upstream saw");

        malformedEnd.run();

        Frame reset = client.awaitReset(1);
        assertThat(reset).as("frames: " + client.received).isNotNull();
        assertThat(reset.errorCode()).isEqualTo(PROTOCOL_ERROR);
        assertThat(upstream.completed).as("the upstream never saw the request end").isEmpty();
    }

    private static long goAwayCode(Frame goAway) {
        byte[] p = goAway.payload();
        return ((p[4] & 0xffL) << 24) | (p[5] & 0xff) << 16 | (p[6] & 0xff) << 8 | p[7] & 0xff;
    }

    @FunctionalInterface
    private interface ClientStep {
        void run() throws Exception;
    }
}
