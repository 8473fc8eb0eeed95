package io.portcullis.proxy.testing;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A WebSocket echo server on loopback built from Netty's {@link WebSocketServerProtocolHandler}:
 * {@code /ws} echoes every text and binary message (up to 4 MiB); the text {@code bye} makes it
 * drop the connection itself, without a closing handshake (so the end comes from the server
 * alone, not from a client answering its close frame). Other paths get a plain {@code 404}.
 */
public final class WebSocketEchoServer extends TestServer {
    public static final String BYE = "bye";
    private static final int MAX_MESSAGE = 4 << 20;

    /** Connections accepted so far. */
    public final AtomicInteger connections = new AtomicInteger();
    private final ChannelGroup open = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

    public WebSocketEchoServer() {
        WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder().websocketPath("/ws")
                .maxFramePayloadLength(MAX_MESSAGE).checkStartsWith(false)
                // Netty's handler sends a close frame before closing by default: the client's answer
                // to it would then race the server's FIN, and the end would not come from the server alone.
                .sendCloseFrame(null).build();
        serve("127.0.0.1", new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                connections.incrementAndGet();
                open.add(ch);
                ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                        new WebSocketServerProtocolHandler(config), new WebSocketFrameAggregator(MAX_MESSAGE),
                        new Echo(), new NotFound());
            }
        });
    }

    /** WebSocket connections still open on the server side. */
    public int openConnections() {
        return open.size();
    }

    @Override
    public void close() {
        open.close().syncUninterruptibly();
        super.close();
    }

    private static final class Echo extends SimpleChannelInboundHandler<WebSocketFrame> {
        Echo() {
            super(false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame && ((TextWebSocketFrame) frame).text().equals(BYE)) {
                frame.release();
                ctx.close();
            } else {
                ctx.writeAndFlush(frame);
            }
        }
    }

    private static final class NotFound extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.NOT_FOUND, Unpooled.EMPTY_BUFFER);
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
            ctx.writeAndFlush(response);
        }
    }
}
