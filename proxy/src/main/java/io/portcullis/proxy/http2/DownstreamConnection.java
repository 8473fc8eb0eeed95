package io.portcullis.proxy.http2;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.portcullis.proxy.channel.Drain;
import io.portcullis.proxy.logging.RateLimitedLogger;

import java.util.concurrent.TimeUnit;

/**
 * Last handler of a downstream HTTP/2 connection: receives the connection-level frames the
 * multiplexer passes on (SETTINGS, PING, GOAWAY: Netty has acted on them already), closes an idle
 * connection without streams (GOAWAY NO_ERROR) and one whose client sent FIN, and takes the
 * upstream connections down with it.
 */
final class DownstreamConnection extends ChannelInboundHandlerAdapter {
    private static final RateLimitedLogger LOG =
            new RateLimitedLogger(System.getLogger(DownstreamConnection.class.getName()), 10, TimeUnit.SECONDS);

    private final Http2Session session;
    private final Http2FrameCodec codec;
    /** Set on the event loop once a draining connection's grace has passed. */
    private boolean graceOver;

    DownstreamConnection(Http2Session session, Http2FrameCodec codec) {
        this.session = session;
        this.codec = codec;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == Drain.EVENT) {
            // GOAWAY with the last stream taken now; the close only once a grace has passed (closing
            // at once would reset the connection over a stream the client sent before the GOAWAY
            // reached it, and the client could lose the GOAWAY that tells it to retry elsewhere) and
            // every stream has ended, however long it runs: the drain time bounds it, not the codec.
            ctx.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
            ctx.executor().schedule(() -> {
                graceOver = true;
                closeWhenDrained(ctx);
            }, Drain.GRACE.toMillis(), TimeUnit.MILLISECONDS);
            codec.connection().addListener(new Http2ConnectionAdapter() {
                @Override
                public void onStreamClosed(Http2Stream stream) {
                    ctx.executor().execute(() -> closeWhenDrained(ctx));
                }
            });
            return;
        }
        if (evt instanceof ChannelInputShutdownEvent) {
            // Through the codec: GOAWAY with the last stream taken, then close once the streams have ended.
            // After the client's FIN no frame can follow, so the connection ends as for a drain: the
            // half-closure the listener allows is for HTTP/1.1 and Kafka, whose last requests can
            // precede the FIN; holding an HTTP/2 connection past it would keep the socket (in
            // CLOSE_WAIT) and its upstream connection until the idle timeout.
            ctx.close();
            return;
        }
        if (evt instanceof IdleStateEvent) {
            if (codec.connection().numActiveStreams() == 0) {
                ctx.close();
            }
            return;
        }
        ReferenceCountUtil.release(evt);
    }

    private void closeWhenDrained(ChannelHandlerContext ctx) {
        if (graceOver && codec.connection().numActiveStreams() == 0 && ctx.channel().isOpen()) {
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        session.close();
        ctx.fireChannelInactive();
    }

    /**
     * Netty's codec shows connection errors here before it sends its GOAWAY with the right code
     * and closes: closing from here first would send GOAWAY(NO_ERROR) instead. Only other
     * failures close the connection from here.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(System.Logger.Level.INFO, "error", "HTTP/2 connection from " + ctx.channel().remoteAddress()
                + " failed: " + cause);
        if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) == null) {
            ctx.close();
        }
    }
}
