package io.portcullis.proxy.kafka;

import io.portcullis.proxy.upstream.UpstreamBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;

/**
 * Opens the broker connection of one client connection ({@link UpstreamBootstrap}), auto-read
 * off, framing responses with
 * {@link ResponseFramer}.
 */
public final class KafkaConnector implements UpstreamOpener {
    private final UpstreamBootstrap bootstrap;

    public KafkaConnector(Class<? extends Channel> channelClass, int connectTimeoutMillis,
                          WriteBufferWaterMark waterMark) {
        this.bootstrap = new UpstreamBootstrap(channelClass, connectTimeoutMillis, waterMark, false);
    }

    @Override
    public ChannelFuture connect(EventLoop loop, InetSocketAddress address, int mark, UpstreamEvents events) {
        return bootstrap.connect(loop, address, mark, ch -> initPipeline(ch, events));
    }

    static void initPipeline(Channel ch, UpstreamEvents events) {
        ch.pipeline().addLast("framer", new ResponseFramer()).addLast("events", new Relay(events));
    }

    /** Last handler of a broker connection: hands everything to the client side. */
    private static final class Relay extends ChannelInboundHandlerAdapter {
        private final UpstreamEvents events;
        private Throwable cause;

        Relay(UpstreamEvents events) {
            this.events = events;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ResponsePart) {
                events.upstreamPart(ctx.channel(), (ResponsePart) msg);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            events.upstreamReadComplete(ctx.channel());
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            events.upstreamWritabilityChanged(ctx.channel());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            events.upstreamClosed(ctx.channel(), cause);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable error) {
            if (cause == null) {
                cause = error;
            }
            ctx.close();
        }
    }
}
