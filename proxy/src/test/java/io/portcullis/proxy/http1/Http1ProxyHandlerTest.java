package io.portcullis.proxy.http1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.portcullis.parsers.http1.StrictHttpRequestDecoder;
import io.portcullis.policy.identity.Identity;
import io.portcullis.proxy.accesslog.AccessLogEntry;
import io.portcullis.proxy.context.ConnectionContext;
import io.portcullis.proxy.context.Endpoint;
import io.portcullis.proxy.policy.ConnectionPolicy;
import io.portcullis.proxy.testing.FakePolicy;
import io.portcullis.proxy.upstream.UpstreamConnector;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The downstream pipeline in an EmbeddedChannel; only denied and refused requests (no upstream needed). */
class Http1ProxyHandlerTest {
    private final List<AccessLogEntry> log = new ArrayList<>();

    private EmbeddedChannel channel() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        ConnectionContext context = new ConnectionContext(new Endpoint(Identity.WORLD, null, Identity.WORLD.labels(), lo, 4000),
                new Endpoint(Identity.HOST, "backend", Identity.HOST.labels(), lo, 80), new InetSocketAddress(lo, 9));
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.attr(ConnectionPolicy.CHANNEL_ATTRIBUTE).set(new ConnectionPolicy(FakePolicy::l7, context));
        ch.pipeline().addLast(new RequestTimer(Duration.ofSeconds(10), Duration.ofSeconds(60)),
                new StrictHttpRequestDecoder(8192, 16384, 8192), new ProxyResponseEncoder(),
                new RequestValidationHandler(),
                new Http1ProxyHandler(new UpstreamConnector(NioSocketChannel.class, 1000, 8192, 65536, 8192,
                        WriteBufferWaterMark.DEFAULT), log::add, 16, Duration.ofSeconds(60)));
        ch.pipeline().fireChannelActive();
        return ch;
    }

    private static String written(EmbeddedChannel ch) {
        StringBuilder out = new StringBuilder();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            out.append(((ByteBuf) o).toString(StandardCharsets.ISO_8859_1));
            ((ByteBuf) o).release();
        }
        return out.toString();
    }

    @Test
    void denyAnswers403InOrderAndKeepsTheConnection() throws Exception {
        EmbeddedChannel ch = channel();
        ch.writeInbound(Unpooled.copiedBuffer("GET /deny/1 HTTP/1.1\r\nHost: h\r\n\r\n"
                + "POST /deny/2 HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nbody"
                + "HEAD /deny/3 HTTP/1.1\r\nHost: h\r\n\r\n", StandardCharsets.ISO_8859_1));
        String out = written(ch);
        assertThat(out.split("HTTP/1.1 403 Forbidden", -1)).hasSize(4);
        assertThat(out).endsWith("content-length: 15\r\n\r\n");   // HEAD: no body
        assertThat(out.split("Access denied\r\n", -1)).hasSize(3);
        assertThat(ch.isOpen()).isTrue();
        assertThat(log).hasSize(6).allMatch(e -> e.verdict() == AccessLogEntry.Verdict.DENIED);
        assertThat(log.get(2).http().url()).isEqualTo("/deny/2");
        ch.finishAndReleaseAll();
    }

    @Test
    void deniedRequestWithOversizedBodyClosesTheConnection() throws Exception {
        EmbeddedChannel ch = channel();
        ch.writeInbound(Unpooled.copiedBuffer("POST /deny HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\n"
                + "x".repeat(40), StandardCharsets.ISO_8859_1));
        assertThat(written(ch)).startsWith("HTTP/1.1 403");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void deniedRequestWithConnectionCloseCloses() throws Exception {
        EmbeddedChannel ch = channel();
        ch.writeInbound(Unpooled.copiedBuffer("GET /deny HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
                StandardCharsets.ISO_8859_1));
        assertThat(written(ch)).contains("connection: close");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void badRequestAfterDeniedOnesIsAnsweredInOrderThenCloses() throws Exception {
        EmbeddedChannel ch = channel();
        ch.writeInbound(Unpooled.copiedBuffer("GET /deny HTTP/1.1\r\nHost: h\r\n\r\n"
                + "GET /a%2fb HTTP/1.1\r\nHost: h\r\n\r\nGET /deny HTTP/1.1\r\nHost: h\r\n\r\n", StandardCharsets.ISO_8859_1));
        String out = written(ch);
        assertThat(out.indexOf("403 Forbidden")).isLessThan(out.indexOf("400 Bad Request"));
        assertThat(out.split("403 Forbidden", -1)).hasSize(2);
        assertThat(ch.isOpen()).isFalse();
        assertThat(log.get(log.size() - 1).verdict()).isEqualTo(AccessLogEntry.Verdict.ERROR);
        assertThat(log.get(log.size() - 1).http().url()).isEqualTo("/a%2fb");
    }
}
