package io.portcullis.proxy.upstream;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.util.ReferenceCountUtil;

/** Last handler of an upstream connection: hands everything to its {@link UpstreamListener}. */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {
    private final UpstreamListener listener;
    private Throwable cause;

    UpstreamHandler(UpstreamListener listener) {
        this.listener = listener;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpObject) {
            listener.upstreamRead(ctx.channel(), (HttpObject) msg);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        listener.upstreamWritabilityChanged(ctx.channel());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        listener.upstreamClosed(ctx.channel(), cause);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable error) {
        if (cause == null) {
            cause = error;
        }
        ctx.close();
    }
}
