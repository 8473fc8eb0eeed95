package io.portcullis.proxy.tunnel;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of one side of a {@link Tunnel}: writes what this side reads to the other
 * side and reads again once that write completed.
 */
final class TunnelRelay extends ChannelInboundHandlerAdapter {
    private final Tunnel tunnel;
    private final boolean clientSide;

    TunnelRelay(Tunnel tunnel, boolean clientSide) {
        this.tunnel = tunnel;
        this.clientSide = clientSide;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            ctx.read();
        } else {
            tunnel.end(side() + " closed");
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        Channel peer = tunnel.peer(clientSide);
        tunnel.carried(clientSide, ((ByteBuf) msg).readableBytes());
        peer.writeAndFlush(msg).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                ctx.read();
            } else {
                // A write fails when the other connection is closing: report it as that close.
                tunnel.end((clientSide ? "upstream" : "client") + " closed");
            }
        });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            tunnel.end("idle timeout");
        } else if (evt instanceof ChannelInputShutdownEvent) {
            // A WebSocket ends with its closing handshake; a half close means the peer is gone.
            tunnel.end(side() + " closed");
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        tunnel.end(side() + " closed");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        tunnel.end(side() + " connection failed: " + cause.getMessage());
    }

    private String side() {
        return clientSide ? "client" : "upstream";
    }
}
