package io.portcullis.proxy.kafka;

import io.netty.bootstrap.Bootstrap;
import io.portcullis.proxy.upstream.UpstreamMark;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;

/**
 * Opens the broker connection of one client connection on the client's event loop (no hand-off
 * between threads), auto-read off and with the proxy's water marks, framing responses with
 * {@link ResponseFramer}.
 */
public final class KafkaConnector implements UpstreamOpener {
    private final Bootstrap template;

    public KafkaConnector(Class<? extends Channel> channelClass, int connectTimeoutMillis,
                          WriteBufferWaterMark waterMark) {
        this.template = new Bootstrap().channel(channelClass)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark);
    }

    @Override
    public ChannelFuture connect(EventLoop loop, InetSocketAddress address, int mark, UpstreamEvents events) {
        return template.clone(loop).handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                UpstreamMark.apply(ch, mark);
                initPipeline(ch, events);
            }
        }).connect(address);
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
