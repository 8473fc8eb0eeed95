package io.portcullis.proxy.http2;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameStreamException;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.ReferenceCountUtil;
import io.portcullis.proxy.accesslog.AccessLogEntry.Verdict;
import io.portcullis.proxy.grpc.GrpcStatus;

/**
 * The upstream half of one forwarded stream (an upstream child channel, auto-read off): relays
 * the response HEADERS, DATA and trailers to the downstream stream, reading the next upstream
 * frames only once the downstream stream took the last ones and is writable. Records the
 * response: HTTP at the final head, gRPC at the final status (trailers, or a trailers-only
 * response). An upstream reset is relayed; an upstream stream that ends without a complete
 * response becomes a 502 (gRPC: UNAVAILABLE) if nothing was sent yet, else a reset.
 */
final class ResponseRelay extends ChannelInboundHandlerAdapter {
    private final StreamExchange ex;
    private final StreamLog log;
    private final StreamProxyHandler requestSide;
    private ChannelHandlerContext ctx;
    private ChannelFuture lastWrite;
    private boolean readPending;
    private int status;

    ResponseRelay(StreamExchange ex, StreamLog log, StreamProxyHandler requestSide) {
        this.ex = ex;
        this.log = log;
        this.requestSide = requestSide;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (ex.reset || ex.responseEnded || !ex.downstream.isActive()) {
            ReferenceCountUtil.release(msg);
        } else if (msg instanceof Http2HeadersFrame) {
            onHeaders((Http2HeadersFrame) msg);
        } else if (msg instanceof Http2DataFrame) {
            Http2DataFrame data = (Http2DataFrame) msg;
            boolean end = data.isEndStream();
            ex.bytesToClient += data.content().readableBytes();
            lastWrite = ex.downstream.write(new DefaultHttp2DataFrame(data.content(), end));
            if (end) {
                ended(null, "response ended without trailers");
            }
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onHeaders(Http2HeadersFrame frame) {
        boolean end = frame.isEndStream();
        lastWrite = ex.downstream.write(new DefaultHttp2HeadersFrame(frame.headers(), end));
        if (ex.responseStarted) {
            ended(GrpcStatus.of(frame.headers()), null);   // trailers
            return;
        }
        CharSequence code = frame.headers().status();
        status = code == null ? 0 : Integer.parseInt(code.toString());
        if (status >= 100 && status < 200) {
            return;   // interim: the final head is still to come
        }
        ex.responseStarted = true;
        if (ex.grpc == null) {
            log.response(ex, Verdict.FORWARDED, status, null, null);
        }
        if (ex.request.isWebSocket() && status < 300 && !end) {
            requestSide.tunnelOpened(status);
        }
        if (end) {
            ended(GrpcStatus.of(frame.headers()), null);   // trailers-only (gRPC) or body-less response
        }
    }

    private void ended(Integer grpcStatus, String reasonWithoutStatus) {
        ex.responseEnded = true;
        if (ex.grpc != null) {
            log.response(ex, Verdict.FORWARDED, status, grpcStatus, grpcStatus == null ? reasonWithoutStatus : null);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ChannelFuture write = lastWrite;
        if (write == null) {
            return;
        }
        lastWrite = null;
        ex.downstream.flush();
        write.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                ctx.close();
            } else if (!ex.responseEnded && !ex.reset) {
                if (ex.downstream.isWritable()) {
                    ctx.read();
                } else {
                    readPending = true;
                }
            }
        });
    }

    /** The downstream stream can take more (the client granted window or drained the socket). */
    void downstreamWritable() {
        if (readPending && !ex.reset) {
            readPending = false;
            ctx.read();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            requestSide.upstreamWritable();
        }
    }

    /** The upstream reset the stream (it cancelled, or a deadline ran out there): relayed as is. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof Http2ResetFrame && !ex.reset && !ex.responseEnded) {
            ex.reset = true;
            long code = ((Http2ResetFrame) evt).errorCode();
            if (ex.downstream.isActive()) {
                ex.downstream.writeAndFlush(new DefaultHttp2ResetFrame(code));
            }
            String reason = "stream reset by upstream (" + StreamProxyHandler.errorName(code) + ")";
            ex.tunnelEnd = reason;
            log.response(ex, Verdict.ERROR, status, null, reason);
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (ex.reset || ex.responseEnded || !ex.downstream.isActive()) {
            return;
        }
        if (!ex.responseStarted) {
            ex.responseStarted = true;
            ex.responseEnded = true;
            LocalReplies.error(ex.downstream, ex.grpc != null, 502, GrpcStatus.UNAVAILABLE, "upstream failed");
            log.response(ex, Verdict.ERROR, ex.grpc != null ? 200 : 502, ex.grpc != null ? GrpcStatus.UNAVAILABLE : null,
                    "upstream stream closed before the response");
            if (!ex.requestEnded) {
                ex.downstream.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.NO_ERROR));
            }
        } else {
            ex.reset = true;
            log.response(ex, Verdict.ERROR, status, null, "upstream stream closed mid-response");
            ex.downstream.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.INTERNAL_ERROR));
        }
    }

    /**
     * A stream error on the upstream side (Netty reset that stream already) ends in
     * {@link #channelInactive}; anything else closes the upstream stream, with the same effect.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof Http2FrameStreamException)) {
            ctx.close();
        }
    }
}
