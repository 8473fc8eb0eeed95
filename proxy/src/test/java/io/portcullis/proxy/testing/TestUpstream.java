package io.portcullis.proxy.testing;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small upstream HTTP server recording what it receives. {@code /close-mid} sends part of a
 * response and closes, {@code /reset} closes without answering, {@code /chunked} answers chunked;
 * everything else gets {@code 200} with a body describing the request.
 */
public final class TestUpstream extends TestServer {
    public record Received(String method, String uri, Map<String, String> headers, String body) {
    }

    public final List<Received> received = new CopyOnWriteArrayList<>();
    public final AtomicInteger connections = new AtomicInteger();

    public TestUpstream() {
        serve("127.0.0.1", new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                connections.incrementAndGet();
                ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new Handler());
            }
        });
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            String body = req.content().toString(StandardCharsets.UTF_8);
            Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            req.headers().forEach(e -> headers.merge(e.getKey(), e.getValue(), (a, b) -> a + "," + b));
            received.add(new Received(req.method().name(), req.uri(), headers, body));
            switch (req.uri()) {
                case "/reset":
                    ctx.close();
                    return;
                case "/close-mid": {
                    DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                    head.headers().set(HttpHeaderNames.CONTENT_LENGTH, 100);
                    ctx.write(head);
                    ctx.writeAndFlush(new io.netty.handler.codec.http.DefaultHttpContent(
                            Unpooled.copiedBuffer("partial", StandardCharsets.US_ASCII)))
                            .addListener(ChannelFutureListener.CLOSE);
                    return;
                }
                default:
            }
            String text = "upstream saw " + req.method() + " " + req.uri() + " body=" + body;
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
            if (req.uri().equals("/chunked")) {
                HttpUtil.setTransferEncodingChunked(res, true);
            } else {
                res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
            }
            if (req.uri().equals("/says-close")) {
                // Announces the end of the connection but leaves closing to the peer: reuse would show.
                res.headers().set(HttpHeaderNames.CONNECTION, "close");
            }
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            var f = ctx.writeAndFlush(res);
            if (!keepAlive) {
                f.addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
