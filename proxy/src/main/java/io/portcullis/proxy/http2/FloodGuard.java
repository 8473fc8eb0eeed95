package io.portcullis.proxy.http2;

import io.portcullis.config.Http2Limits;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.util.ReferenceCountUtil;
import io.portcullis.parsers.http2.Http2FrameScanner;
import io.portcullis.proxy.logging.RateLimitedLogger;

import java.util.concurrent.TimeUnit;

/**
 * Sits in front of the downstream frame codec and watches the raw bytes with an
 * {@link Http2FrameScanner}. On a CONTINUATION or control-frame flood the offending bytes are
 * dropped and a connection error is raised towards the codec, which answers GOAWAY
 * (ENHANCE_YOUR_CALM) and closes; nothing read afterwards is decoded.
 */
final class FloodGuard extends ChannelInboundHandlerAdapter {
    private static final RateLimitedLogger LOG =
            new RateLimitedLogger(System.getLogger(FloodGuard.class.getName()), 10, TimeUnit.SECONDS);

    private final Http2FrameScanner scanner;
    private boolean tripped;

    FloodGuard(Http2Limits limits) {
        this.scanner = new Http2FrameScanner(limits.maxContinuationFrames(), limits.maxControlFramesPerWindow(),
                limits.floodWindow().toNanos());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (tripped) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!(msg instanceof ByteBuf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf in = (ByteBuf) msg;
        String violation = scanner.scan(in, System.nanoTime());
        if (violation == null) {
            ctx.fireChannelRead(in);
            return;
        }
        tripped = true;
        int before = scanner.violationStart() - in.readerIndex();
        if (before > 0) {
            // Whole frames ahead of the offending one (the preface among them) still reach the
            // codec, which needs them to speak HTTP/2 at all, GOAWAY included.
            ctx.fireChannelRead(in.readRetainedSlice(before));
        }
        in.release();
        LOG.log(System.Logger.Level.WARNING, "flood", "HTTP/2 flood from " + ctx.channel().remoteAddress() + ": "
                + violation + "; sending GOAWAY(ENHANCE_YOUR_CALM)");
        ctx.fireExceptionCaught(Http2Exception.connectionError(Http2Error.ENHANCE_YOUR_CALM, "%s", violation));
    }
}
