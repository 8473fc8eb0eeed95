package io.portcullis.proxy.http2;

import io.portcullis.config.Http2Limits;
import io.netty.handler.codec.http2.Http2Headers;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.Labels;
import io.portcullis.proxy.accesslog.AccessLogEntry;
import io.portcullis.proxy.context.Peer;
import io.portcullis.proxy.context.StaticUpstreamResolver;
import io.portcullis.proxy.server.ProxyServer;
import io.portcullis.proxy.testing.FakePolicy;
import io.portcullis.proxy.testing.H2TestUpstream;
import io.portcullis.proxy.testing.RawH2Client;
import io.portcullis.proxy.testing.RawH2Client.Frame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static io.portcullis.proxy.testing.RawH2Client.hpack;
import static io.portcullis.proxy.testing.RawH2Client.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The proxy between a raw-frame HTTP/2 client (exact bytes, malformed on purpose) and a real
 * HTTP/2 upstream: every bad input gets its stream or connection error, and the upstream never
 * sees a refused stream.
 */
class Http2ProxySocketTest {
    private static final int PROTOCOL_ERROR = 0x1;
    private static final int CANCEL = 0x8;
    private static final int REFUSED_STREAM = 0x7;
    private static final int ENHANCE_YOUR_CALM = 0xb;
    private static final int FRAME_SIZE_ERROR = 0x6;
    private static final Identity FRONTEND = new Identity(300, new Labels(Map.of("app", "frontend")));
    private static final Http2Limits TIGHT = Http2Limits.builder().maxConcurrentStreams(3).maxHeaderListSize(8192)
            .maxContinuationFrames(4).maxResetsPerWindow(20).maxControlFramesPerWindow(30)
            .maxQueuedControlFrames(1000).build();

    private final H2TestUpstream upstream = new H2TestUpstream();
    private final List<AccessLogEntry> entries = new CopyOnWriteArrayList<>();
    private ProxyServer proxy;
    private RawH2Client client;

    @BeforeEach
    void start() throws Exception {
        proxy = ProxyServer.builder().eventLoopThreads(1)
                .http2Limits(TIGHT)
                .policy(FakePolicy::l7).accessLog(entries::add)
                .listener(new InetSocketAddress("127.0.0.1", 0), new StaticUpstreamResolver(upstream.address(),
                        ip -> new Peer(FRONTEND, "frontend", FRONTEND.labels())))
                .build();
        proxy.start();
        client = new RawH2Client(proxy.boundPort(0));
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        proxy.close();
        upstream.close();
    }

    @Test
    void allowedStreamIsForwardedWithTheNormalisedPath() throws Exception {
        client.headers(1, true, request("GET", "/a/../public/%2e/x?q=%2e")).flush();

        List<Http2Headers> response = client.headers(1);
        assertThat(response).isNotEmpty();
        assertThat(response.get(0).status().toString()).isEqualTo("200");
        client.await(f -> f.type() == RawH2Client.DATA && (f.flags() & RawH2Client.END_STREAM) != 0, 3000);
        assertThat(client.body(1)).isEqualTo("upstream saw GET /public/x?q=%2e body=0");
        assertThat(upstream.streams).extracting(h -> h.path().toString()).containsExactly("/public/x?q=%2e");
    }

    @Test
    void deniedStreamGets403AndTheOtherStreamsCarryOn() throws Exception {
        client.headers(1, false, request("POST", "/hold/long")).flush();
        client.headers(3, true, request("GET", "/deny/secret"));
        client.headers(5, true, request("GET", "/public/after")).flush();

        assertThat(client.headers(3).get(0).status().toString()).isEqualTo("403");
        client.await(f -> f.type() == RawH2Client.DATA && f.stream() == 3 && (f.flags() & 1) != 0, 3000);
        assertThat(client.body(3)).isEqualTo("Access denied\r\n");
        assertThat(client.headers(5).get(0).status().toString()).isEqualTo("200");
        client.data(1, true, "done".getBytes()).flush();
        client.await(f -> f.type() == RawH2Client.DATA && f.stream() == 1 && (f.flags() & 1) != 0, 3000);
        assertThat(upstream.streams).extracting(h -> h.path().toString())
                .containsExactlyInAnyOrder("/hold/long", "/public/after");
        assertThat(upstream.completed).anySatisfy(r -> {
            assertThat(r.headers().path().toString()).isEqualTo("/hold/long");
            assertThat(r.bodyBytes()).isEqualTo(4);
        });
        awaitEntries(e -> e.type() == AccessLogEntry.Type.RESPONSE && e.http().code() == 403);
        AccessLogEntry denied = entries.stream().filter(e -> e.verdict() == AccessLogEntry.Verdict.DENIED
                && e.type() == AccessLogEntry.Type.REQUEST).findFirst().orElseThrow();
        assertThat(denied.http().protocol()).isEqualTo("HTTP/2");
        assertThat(denied.http().url()).isEqualTo("/deny/secret");
        assertThat(denied.l7Protocol()).isEqualTo("http");
    }

    static Stream<Arguments> malformedRequests() {
        return Stream.<String[]>of(
                new String[]{"upper-case name", ":method", "GET", ":scheme", "http", ":path", "/p", "X-Upper", "1"},
                new String[]{"connection", ":method", "GET", ":scheme", "http", ":path", "/p", "connection", "close"},
                new String[]{"keep-alive", ":method", "GET", ":scheme", "http", ":path", "/p", "keep-alive", "5"},
                new String[]{"proxy-connection", ":method", "GET", ":scheme", "http", ":path", "/p",
                        "proxy-connection", "x"},
                new String[]{"transfer-encoding", ":method", "GET", ":scheme", "http", ":path", "/p",
                        "transfer-encoding", "chunked"},
                new String[]{"upgrade", ":method", "GET", ":scheme", "http", ":path", "/p", "upgrade", "h2c"},
                new String[]{"te gzip", ":method", "GET", ":scheme", "http", ":path", "/p", "te", "gzip"},
                new String[]{"missing :path", ":method", "GET", ":scheme", "http"},
                new String[]{"missing :method", ":scheme", "http", ":path", "/p"},
                new String[]{"missing :scheme", ":method", "GET", ":path", "/p"},
                new String[]{"duplicate :path", ":method", "GET", ":scheme", "http", ":path", "/p", ":path", "/q"},
                new String[]{"duplicate :method", ":method", "GET", ":method", "POST", ":scheme", "http", ":path", "/p"},
                new String[]{"late pseudo-header", ":method", "GET", ":scheme", "http", "x-a", "1", ":path", "/p"},
                new String[]{"unknown pseudo-header", ":method", "GET", ":scheme", "http", ":path", "/p", ":foo", "x"},
                new String[]{"response pseudo-header", ":method", "GET", ":scheme", "http", ":path", "/p",
                        ":status", "200"},
                new String[]{"empty :path", ":method", "GET", ":scheme", "http", ":path", ""},
                new String[]{"CR in value", ":method", "GET", ":scheme", "http", ":path", "/p", "x-a", "a\rb"},
                new String[]{"LF in value", ":method", "GET", ":scheme", "http", ":path", "/p", "x-a", "a\nb"},
                new String[]{"NUL in value", ":method", "GET", ":scheme", "http", ":path", "/p", "x-a", "a\0b"},
                new String[]{"encoded slash", ":method", "GET", ":scheme", "http", ":path", "/a%2Fb"},
                new String[]{"host differs from :authority", ":method", "GET", ":scheme", "http", ":path", "/p",
                        ":authority", "a", "host", "b"})
                .map(a -> Arguments.of(a[0], java.util.Arrays.copyOfRange(a, 1, a.length)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedRequests")
    void malformedRequestIsResetWithProtocolErrorAndNeverForwarded(String name, String[] fields) throws Exception {
        client.headers(1, true, hpack(fields)).flush();

        Frame reset = client.awaitReset(1);
        assertThat(reset).as("RST_STREAM for " + name + "; got " + client.received).isNotNull();
        assertThat(reset.errorCode()).as("frames: " + client.received).isEqualTo(PROTOCOL_ERROR);
        // The connection survives a stream error: the next stream works.
        client.headers(3, true, request("GET", "/ok")).flush();
        assertThat(client.headers(3).get(0).status().toString()).isEqualTo("200");
        assertThat(upstream.streams).extracting(h -> h.path().toString()).containsExactly("/ok");
    }

    @Test
    void teTrailersIsAllowed() throws Exception {
        client.headers(1, true, request("POST", "/grpc.Svc/Call", "te", "trailers")).flush();
        assertThat(client.headers(1).get(0).status().toString()).isEqualTo("200");
        assertThat(upstream.streams.get(0).get("te").toString()).isEqualTo("trailers");
    }

    @Test
    void pseudoHeaderInTrailersResetsBothSides() throws Exception {
        client.headers(1, false, request("POST", "/hold/t")).data(1, false, "x".getBytes())
                .frame(RawH2Client.HEADERS, RawH2Client.END_HEADERS | RawH2Client.END_STREAM, 1,
                        hpack(":path", "/evil")).flush();
        Frame reset = client.awaitReset(1);
        assertThat(reset).isNotNull();
        assertThat(reset.errorCode()).as("log: " + entries).isEqualTo(PROTOCOL_ERROR);
        assertThat(upstream.completed).isEmpty();
    }

    @Test
    void continuationFloodEndsTheConnectionWithEnhanceYourCalm() throws Exception {
        byte[] block = request("GET", "/p", "x-a", "1");
        client.frame(RawH2Client.HEADERS, RawH2Client.END_STREAM, 1, new byte[]{block[0]});
        for (int i = 1; i <= 6; i++) {
            client.frame(RawH2Client.CONTINUATION, 0, 1, new byte[]{block[Math.min(i, block.length - 1)]});
        }
        client.flush();
        Frame goAway = client.awaitGoAway();
        assertThat(goAway).as("frames: " + client.received).isNotNull();
        assertThat(goAway.errorCode()).as("frames: " + client.received).isEqualTo(ENHANCE_YOUR_CALM);
        assertThat(client.closedWithin(3000)).isTrue();
        assertThat(upstream.streams).isEmpty();
    }

    @Test
    void rapidResetEndsTheConnectionWithEnhanceYourCalm() throws Exception {
        for (int i = 0; i < 30; i++) {
            int stream = 1 + 2 * i;
            client.headers(stream, false, request("POST", "/hold/r" + i)).rst(stream, CANCEL);
        }
        client.flush();
        Frame goAway = client.awaitGoAway();
        assertThat(goAway).as("frames: " + client.received).isNotNull();
        assertThat(goAway.errorCode()).as("frames: " + client.received).isEqualTo(ENHANCE_YOUR_CALM);
        assertThat(client.closedWithin(3000)).isTrue();
    }

    @ParameterizedTest(name = "frame type {0}")
    @ValueSource(ints = {RawH2Client.PING, RawH2Client.SETTINGS, RawH2Client.PRIORITY})
    void controlFrameFloodEndsTheConnectionWithEnhanceYourCalm(int type) throws Exception {
        byte[] payload = type == RawH2Client.PING ? new byte[8]
                : type == RawH2Client.PRIORITY ? new byte[]{0, 0, 0, 0, 16} : new byte[0];
        for (int i = 0; i < 40; i++) {
            client.frame(type, 0, type == RawH2Client.PRIORITY ? 1 + 2 * i : 0, payload);
        }
        client.flush();
        Frame goAway = client.awaitGoAway();
        assertThat(goAway).as("frames: " + client.received).isNotNull();
        assertThat(goAway.errorCode()).as("frames: " + client.received).isEqualTo(ENHANCE_YOUR_CALM);
    }

    @Test
    void emptyDataFloodEndsTheConnectionWithEnhanceYourCalm() throws Exception {
        client.headers(1, false, request("POST", "/hold/e"));
        for (int i = 0; i < 10; i++) {
            client.data(1, false, new byte[0]);
        }
        client.flush();
        Frame goAway = client.awaitGoAway();
        assertThat(goAway).as("frames: " + client.received).isNotNull();
        assertThat(goAway.errorCode()).as("frames: " + client.received).isEqualTo(ENHANCE_YOUR_CALM);
    }

    @Test
    void streamsBeyondTheLimitAreRefused() throws Exception {
        for (int i = 0; i < 4; i++) {
            client.headers(1 + 2 * i, false, request("POST", "/hold/s" + i));
        }
        client.flush();
        Frame reset = client.awaitReset(7);
        assertThat(reset).as("frames: " + client.received).isNotNull();
        assertThat(reset.errorCode()).isEqualTo(REFUSED_STREAM);
        // The three admitted streams reach the upstream in their own time on a loaded machine; then
        // a moment more shows that the refused one never follows.
        long deadline = System.currentTimeMillis() + 5000;
        while (upstream.streams.size() < 3 && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(200);
        assertThat(upstream.streams).extracting(h -> h.path().toString())
                .containsExactlyInAnyOrder("/hold/s0", "/hold/s1", "/hold/s2");
    }

    @Test
    void oversizedFrameIsAFrameSizeError() throws Exception {
        // Only the frame header and a little of the announced payload: the length alone is the error.
        client.headers(1, false, request("POST", "/hold/big"))
                .truncatedFrame(RawH2Client.DATA, 1, 16_385, 100).flush();
        Frame goAway = client.awaitGoAway();
        assertThat(goAway).as("frames: " + client.received).isNotNull();
        assertThat(goAway.errorCode()).as("frames: " + client.received).isEqualTo(FRAME_SIZE_ERROR);
    }

    @Test
    void clientResetReachesTheUpstream() throws Exception {
        client.headers(1, false, request("POST", "/hold/cancel")).data(1, false, "a".getBytes()).flush();
        long deadline = System.currentTimeMillis() + 3000;
        while (upstream.streams.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        client.rst(1, CANCEL).flush();
        deadline = System.currentTimeMillis() + 3000;
        while (upstream.resets.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertThat(upstream.resets).containsExactly((long) CANCEL);
    }

    /**
     * The upstream never reads: the proxy must not take more of the body than the two windows
     * between client and upstream (client→proxy stream window, proxy→upstream stream window).
     */
    @Test
    void bodyIsNotBufferedBeyondTheFlowControlWindows() throws Exception {
        client.headers(1, false, request("POST", "/stall/upload")).flush();
        byte[] chunk = new byte[16_384];
        long sent = 0;
        long granted = 65_535;
        long deadline = System.currentTimeMillis() + 3000;
        while (System.currentTimeMillis() < deadline) {
            while (sent + chunk.length <= granted) {
                client.data(1, false, chunk);
                sent += chunk.length;
            }
            client.flush();
            int updates = (int) client.received.stream().filter(f -> f.type() == RawH2Client.WINDOW_UPDATE
                    && f.stream() == 1).count();
            client.await(f -> false, 200);
            granted = 65_535 + client.received.stream()
                    .filter(f -> f.type() == RawH2Client.WINDOW_UPDATE && f.stream() == 1)
                    .mapToLong(f -> ((f.payload()[0] & 0x7fL) << 24) | ((f.payload()[1] & 0xff) << 16)
                            | ((f.payload()[2] & 0xff) << 8) | (f.payload()[3] & 0xff)).sum();
            if (updates == 0 && granted == 65_535 && sent + chunk.length > granted) {
                continue;
            }
        }
        assertThat(sent).as("bytes the proxy let the client send").isLessThanOrEqualTo(2 * 65_535 + 16_384);
        assertThat(sent).isGreaterThanOrEqualTo(65_535 - 16_384);
    }

    private void awaitEntries(java.util.function.Predicate<AccessLogEntry> filter) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 3000;
        while (entries.stream().noneMatch(filter) && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertThat(entries).anyMatch(filter);
    }
}
