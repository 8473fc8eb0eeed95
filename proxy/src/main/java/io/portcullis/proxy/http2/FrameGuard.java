package io.portcullis.proxy.http2;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.util.ReferenceCountUtil;
import io.portcullis.config.Http2Limits;
import io.portcullis.parsers.http2.Http2FrameScanner;
import io.portcullis.parsers.http2.Http2FrameScanner.Finding;
import io.portcullis.proxy.logging.RateLimitedLogger;

import java.util.concurrent.TimeUnit;

/**
 * Sits in front of the downstream frame codec and watches the raw bytes with an
 * {@link Http2FrameScanner}. On a CONTINUATION or control-frame flood the offending bytes are
 * dropped and a connection error is raised towards the codec, which answers GOAWAY
 * (ENHANCE_YOUR_CALM) and closes; nothing read afterwards is decoded. It also completes the
 * codec's stream-state rules (RFC 9113 §5.1), which need a stream's history once Netty forgot it:
 * HEADERS or DATA on an identifier the client passed over is a connection error PROTOCOL_ERROR; on
 * a stream the client ended, a connection error STREAM_CLOSED once the stream is closed, and while
 * it is half-closed (remote) the codec's stream error, which the stream answers as STREAM_CLOSED
 * ({@link Http2Session#frameAfterEndStream}).
 */
final class FrameGuard extends ChannelInboundHandlerAdapter {
    private static final RateLimitedLogger LOG =
            new RateLimitedLogger(System.getLogger(FrameGuard.class.getName()), 10, TimeUnit.SECONDS);

    private final Http2FrameScanner scanner;
    private final Http2Session session;
    private Http2Connection connection;
    private boolean tripped;

    FrameGuard(Http2Limits limits, Http2Session session) {
        this.scanner = new Http2FrameScanner(limits.maxContinuationFrames(), limits.maxControlFramesPerWindow(),
                limits.floodWindow().toNanos());
        this.session = session;
    }

    /** The codec whose stream states complete the scanner's view; set before the first read. */
    void watch(Http2Connection codecConnection) {
        this.connection = codecConnection;
    }

    /** The connection began as an h2c upgrade: stream 1 is the upgraded request, already ended. */
    void upgraded() {
        scanner.streamOneOpenedByUpgrade();
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
        int from = in.readerIndex();
        String violation;
        while ((violation = scanner.scan(in, from, System.nanoTime())) != null) {
            int before = scanner.violationStart() - in.readerIndex();
            if (before > 0) {
                // Whole frames ahead of the offending one (the preface among them) still reach the
                // codec: it needs them to speak HTTP/2 at all, GOAWAY included, and to know the
                // state of the stream the offending frame is on.
                ctx.fireChannelRead(in.readRetainedSlice(before));
            }
            if (scanner.finding() == Finding.AFTER_END_STREAM
                    && connection.stream(scanner.findingStream()) != null) {
                session.frameAfterEndStream(scanner.findingStream());
                from = scanner.resumeIndex();
                continue;
            }
            trip(ctx, in, violation);
            return;
        }
        ctx.fireChannelRead(in);
    }

    private void trip(ChannelHandlerContext ctx, ByteBuf in, String violation) {
        tripped = true;
        in.release();
        Http2Error error;
        switch (scanner.finding()) {
            case FLOOD:
                error = Http2Error.ENHANCE_YOUR_CALM;
                LOG.log(System.Logger.Level.WARNING, "flood", "HTTP/2 flood from " + ctx.channel().remoteAddress()
                        + ": " + violation + "; sending GOAWAY(ENHANCE_YOUR_CALM)");
                break;
            case STREAM_NEVER_OPENED:
                error = Http2Error.PROTOCOL_ERROR;
                session.log().malformed(violation);
                break;
            default:
                error = Http2Error.STREAM_CLOSED;
                session.log().malformed(violation);
        }
        ctx.fireExceptionCaught(Http2Exception.connectionError(error, "%s", violation));
    }
}
