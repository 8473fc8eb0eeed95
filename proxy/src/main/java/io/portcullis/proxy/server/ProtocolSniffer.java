package io.portcullis.proxy.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import io.portcullis.proxy.logging.RateLimitedLogger;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Picks the protocol of an accepted connection from its first bytes, in the manner of Netty's
 * {@code PortUnificationServerHandler}: it peeks (never consumes), asks the
 * {@link ProtocolBranch}es in order, lets the winner install its pipeline, fires
 * {@code channelActive} into it and removes itself, which hands the bytes read so far to the new
 * handlers. Input that no branch accepts, or no input within the timeout, closes the connection
 * (fail closed) with a rate-limited log line.
 */
final class ProtocolSniffer extends ByteToMessageDecoder {
    private static final RateLimitedLogger LOG =
            new RateLimitedLogger(System.getLogger(ProtocolSniffer.class.getName()), 10, TimeUnit.SECONDS);

    private final List<ProtocolBranch> branches;
    private final Duration timeout;
    private ScheduledFuture<?> deadline;

    ProtocolSniffer(List<ProtocolBranch> branches, Duration timeout) {
        this.branches = List.copyOf(branches);
        this.timeout = timeout;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        deadline = ctx.executor().schedule(() -> {
            LOG.log(System.Logger.Level.INFO, "timeout", "closing connection from " + ctx.channel().remoteAddress()
                    + ": no request within " + timeout.toMillis() + " ms");
            ctx.close();
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        ctx.read();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!in.isReadable()) {
            return;
        }
        for (ProtocolBranch branch : branches) {
            switch (branch.match(in)) {
                case YES:
                    cancelDeadline();
                    branch.install(ctx.channel());
                    ctx.fireChannelActive();
                    ctx.pipeline().remove(this);
                    return;
                case NEED_MORE:
                    ctx.read();
                    return;
                default:
                    break;
            }
        }
        cancelDeadline();
        LOG.log(System.Logger.Level.INFO, "unknown", "closing connection from " + ctx.channel().remoteAddress()
                + ": first byte 0x" + Integer.toHexString(in.getUnsignedByte(in.readerIndex()))
                + " starts no supported protocol");
        in.skipBytes(in.readableBytes());
        ctx.close();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // Reads are requested by decode() while undecided; after the hand-over the new handlers
        // own read scheduling, so nothing is propagated from here.
        if (ctx.isRemoved()) {
            ctx.fireChannelReadComplete();
        }
    }

    /** A client that ends its side before its first byte wants nothing: the connection ends with it. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof ChannelInputShutdownEvent && !ctx.isRemoved()) {
            cancelDeadline();
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        cancelDeadline();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancelDeadline();
        super.channelInactive(ctx);
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }
}
