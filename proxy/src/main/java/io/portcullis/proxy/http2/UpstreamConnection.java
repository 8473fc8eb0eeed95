package io.portcullis.proxy.http2;

import io.portcullis.config.Http2Limits;
import io.portcullis.proxy.upstream.UpstreamBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;

import java.net.InetSocketAddress;

/**
 * One upstream HTTP/2 connection of a downstream connection. Streams are opened as child
 * channels with auto-read off; those requested before the connect completes wait for it. The
 * connection stops taking new streams once it is closed or the upstream sent GOAWAY (then the
 * session opens a new one); streams already on it run to their end. A WebSocket stream (extended
 * CONNECT, RFC 8441) also waits for the upstream's SETTINGS: only an upstream that sent
 * SETTINGS_ENABLE_CONNECT_PROTOCOL may get one.
 */
final class UpstreamConnection {
    private Channel channel;
    private ChannelFuture connect;
    private Promise<Void> settingsReceived;
    private boolean connectProtocol;
    private boolean goingAway;

    void connect(UpstreamBootstrap bootstrap, EventLoop loop, InetSocketAddress address, int mark, Http2Limits limits,
                 int maxResponseHeaderListSize) {
        connect = bootstrap.connect(loop, address, mark, ch -> ch.pipeline()
                .addLast("h2-codec", Http2Codecs.client(limits, maxResponseHeaderListSize))
                .addLast("h2-multiplex", new Http2MultiplexHandler(new RefusePushedStreams()))
                .addLast("h2-upstream", new ConnectionFrames()));
        channel = connect.channel();
        settingsReceived = loop.newPromise();
        channel.closeFuture().addListener(f -> settingsReceived.tryFailure(
                new IllegalStateException("upstream connection closed before its SETTINGS")));
    }

    /** Whether new streams may still be opened here. */
    boolean usable() {
        return channel.isOpen() && !goingAway;
    }

    /**
     * Opens a stream whose child pipeline is {@code handler}; fails when the connection does, or,
     * for a WebSocket, with {@link ExtendedConnectRefused} when the upstream does not take them.
     */
    void openStream(ChannelHandler handler, Promise<Http2StreamChannel> promise, boolean webSocket) {
        if (!webSocket) {
            openStream(handler, promise);
            return;
        }
        settingsReceived.addListener(f -> {
            if (!f.isSuccess()) {
                promise.tryFailure(f.cause());
            } else if (!connectProtocol) {
                promise.tryFailure(new ExtendedConnectRefused());
            } else {
                openStream(handler, promise);
            }
        });
    }

    private void openStream(ChannelHandler handler, Promise<Http2StreamChannel> promise) {
        connect.addListener((ChannelFutureListener) f -> {
            if (f.isSuccess() && channel.isActive()) {
                new Http2StreamChannelBootstrap(channel).option(ChannelOption.AUTO_READ, false).handler(handler)
                        .open(promise);
            } else {
                promise.tryFailure(f.cause() != null ? f.cause()
                        : new IllegalStateException("upstream connection closed"));
            }
        });
    }

    void close() {
        channel.close();
    }

    ChannelFuture closeFuture() {
        return channel.closeFuture();
    }

    /** The upstream did not send SETTINGS_ENABLE_CONNECT_PROTOCOL: it cannot take a WebSocket over HTTP/2. */
    static final class ExtendedConnectRefused extends IllegalStateException {
        ExtendedConnectRefused() {
            super("the upstream does not accept WebSocket over HTTP/2 (no SETTINGS_ENABLE_CONNECT_PROTOCOL)");
        }
    }

    /**
     * Connection-level frames from the upstream: its first SETTINGS say whether it takes extended
     * CONNECT (RFC 8441 §3: a value once sent is never withdrawn), GOAWAY retires the connection,
     * the rest is dropped.
     */
    private final class ConnectionFrames extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            // The upstream is read continuously: stream data is bounded by flow-control windows,
            // and SETTINGS/PING must be answered whatever the streams are doing.
            ctx.channel().config().setAutoRead(true);
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Http2GoAwayFrame) {
                goingAway = true;
            } else if (msg instanceof Http2SettingsFrame settings && !settingsReceived.isDone()) {
                connectProtocol = Boolean.TRUE.equals(settings.settings().connectProtocolEnabled());
                settingsReceived.trySuccess(null);
            }
            ReferenceCountUtil.release(msg);
        }

        /** Netty's codec answers HTTP/2 errors itself (GOAWAY with the right code); others close. */
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) == null) {
                ctx.close();
            }
        }
    }

    /** Push is disabled in our SETTINGS; a pushed stream is a protocol violation and is closed. */
    private static final class RefusePushedStreams extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.close();
        }
    }
}
