package io.portcullis.proxy.testing;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A WebSocket echo server over HTTP/2 (RFC 8441), prior knowledge: an extended CONNECT for
 * {@code websocket} is answered {@code 200} and every message echoed on the stream; anything
 * else gets {@code 404}. Built either advertising SETTINGS_ENABLE_CONNECT_PROTOCOL or not.
 */
public final class H2WebSocketEchoServer extends TestServer {
    /** The request header block of every stream it was asked to open. */
    public final List<Http2Headers> streams = new CopyOnWriteArrayList<>();

    public H2WebSocketEchoServer(boolean acceptsExtendedConnect) {
        serve("127.0.0.1", new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(Http2FrameCodecBuilder.forServer()
                                .initialSettings(new Http2Settings().connectProtocolEnabled(acceptsExtendedConnect))
                                .build(),
                        new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                            @Override
                            protected void initChannel(Http2StreamChannel stream) {
                                stream.pipeline().addLast(new Opening());
                            }
                        }));
            }
        });
    }

    private final class Opening extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof Http2HeadersFrame frame)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            Http2Headers headers = frame.headers();
            streams.add(headers);
            boolean webSocket = "CONNECT".contentEquals(headers.method())
                    && "websocket".contentEquals(headers.get(Http2Headers.PseudoHeaderName.PROTOCOL.value()));
            ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status(webSocket ? "200" : "404"),
                    !webSocket));
            if (webSocket) {
                ctx.pipeline().remove(this);
                WebSocketOverStream.install(ctx.channel(), false, new Echo());
            }
        }
    }

    private static final class Echo extends SimpleChannelInboundHandler<WebSocketFrame> {
        Echo() {
            super(false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            ctx.writeAndFlush(frame);
        }
    }
}
