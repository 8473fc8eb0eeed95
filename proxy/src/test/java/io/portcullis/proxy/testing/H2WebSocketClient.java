package io.portcullis.proxy.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client over HTTP/2 (RFC 8441), prior knowledge: it waits for the server's SETTINGS
 * (extended CONNECT may only follow SETTINGS_ENABLE_CONNECT_PROTOCOL), opens each WebSocket as an
 * extended CONNECT stream, and speaks RFC 6455 frames on it once answered 2xx.
 */
public final class H2WebSocketClient implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final CompletableFuture<Http2Settings> serverSettings = new CompletableFuture<>();
    private final Channel connection;

    public H2WebSocketClient(InetSocketAddress server) {
        connection = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(),
                                new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()), new SettingsWatch());
                    }
                }).connect(server).syncUninterruptibly().channel();
    }

    /** The server's first SETTINGS. */
    public Http2Settings serverSettings() throws Exception {
        return serverSettings.get(10, TimeUnit.SECONDS);
    }

    /** An extended CONNECT for {@code path}; the socket's {@link Socket#response} completes with the answer's head. */
    public Socket open(String path) throws Exception {
        serverSettings();
        Socket socket = new Socket();
        Http2StreamChannel stream = new Http2StreamChannelBootstrap(connection).handler(socket).open()
                .syncUninterruptibly().getNow();
        Http2Headers headers = new DefaultHttp2Headers().method("CONNECT").scheme("http").path(path)
                .authority("svc");
        headers.set(Http2Headers.PseudoHeaderName.PROTOCOL.value(), "websocket");
        stream.writeAndFlush(new DefaultHttp2HeadersFrame(headers, false));
        socket.stream = stream;
        return socket;
    }

    @Override
    public void close() {
        connection.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** One WebSocket: its answer, the messages received, and the stream's reset code if it was reset. */
    public static final class Socket extends ChannelInboundHandlerAdapter {
        public final CompletableFuture<Http2Headers> response = new CompletableFuture<>();
        public final CompletableFuture<Long> reset = new CompletableFuture<>();
        private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        private Http2StreamChannel stream;

        public void send(String text) {
            stream.writeAndFlush(new TextWebSocketFrame(text));
        }

        /** The next text message, or null after {@code seconds}. */
        public String next(long seconds) throws InterruptedException {
            return messages.poll(seconds, TimeUnit.SECONDS);
        }

        public void close() {
            stream.close();
        }

        /** The answer's head; after a 2xx, what follows goes on to the WebSocket frame codec behind this. */
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (response.isDone()) {
                ctx.fireChannelRead(msg);
                return;
            }
            if (msg instanceof Http2HeadersFrame frame) {
                response.complete(frame.headers());
                if (frame.headers().status().toString().startsWith("2")) {
                    WebSocketOverStream.install(ctx.channel(), true, new Collect());
                }
            }
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof Http2ResetFrame resetFrame) {
                reset.complete(resetFrame.errorCode());
            }
            ctx.fireUserEventTriggered(evt);
        }

        private final class Collect extends SimpleChannelInboundHandler<WebSocketFrame> {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
                if (frame instanceof TextWebSocketFrame text) {
                    messages.add(text.text());
                }
            }
        }
    }

    private final class SettingsWatch extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Http2SettingsFrame frame) {
                serverSettings.complete(frame.settings());
            }
            ReferenceCountUtil.release(msg);
        }
    }
}
