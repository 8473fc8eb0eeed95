package io.portcullis.proxy.http2;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameStreamException;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.portcullis.parsers.http2.Http2RequestValidator;
import io.portcullis.parsers.http2.MalformedHttp2Exception;
import io.portcullis.parsers.http2.ValidatedHttp2Request;
import io.portcullis.proxy.accesslog.AccessLogEntry.Verdict;
import io.portcullis.proxy.grpc.GrpcStatus;
import io.portcullis.proxy.policy.Judgement;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The downstream half of one HTTP/2 stream (a child channel, auto-read off): validates and
 * judges the request header block, answers denied and bad streams itself, and relays the
 * allowed request's DATA and trailers to the upstream stream. Backpressure: the next downstream
 * read is issued only after the upstream stream accepted what was written (written to its
 * flow-control window) and is writable, so the client's window is replenished at the pace the
 * upstream consumes. The response travels back through {@link ResponseRelay}. A WebSocket
 * (extended CONNECT) answered 2xx goes on as DATA both ways until either side ends or resets the
 * stream, or no DATA crossed for the tunnel idle timeout; its end is logged with the bytes carried.
 */
final class StreamProxyHandler extends ChannelInboundHandlerAdapter {
    private final Http2Session session;
    private ChannelHandlerContext ctx;
    private StreamExchange ex;
    private ResponseRelay relay;
    private final ArrayDeque<Object> waiting = new ArrayDeque<>(2);
    private ChannelFuture lastWrite;
    private boolean readPending;

    StreamProxyHandler(Http2Session session) {
        this.session = session;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (ex == null && msg instanceof Http2HeadersFrame) {
            onRequestHeaders((Http2HeadersFrame) msg);
        } else if (ex == null || relay == null || ex.reset) {
            ReferenceCountUtil.release(msg);   // denied or answered: the rest of the request is dropped
        } else if (ex.upstream == null) {
            // One read may deliver more than the header block; until the upstream stream is open
            // the rest waits here (bounded by the stream window: no further read is issued).
            waiting.add(msg);
        } else {
            relayFrame(msg);
        }
    }

    private void relayFrame(Object msg) {
        if (msg instanceof Http2DataFrame) {
            Http2DataFrame data = (Http2DataFrame) msg;
            ex.requestEnded |= data.isEndStream();
            ex.bytesFromClient += data.content().readableBytes();
            // The new frame takes over the buffer; the received frame is not released.
            lastWrite = ex.upstream.write(new DefaultHttp2DataFrame(data.content(), data.isEndStream()));
        } else if (msg instanceof Http2HeadersFrame) {
            onTrailers((Http2HeadersFrame) msg);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onRequestHeaders(Http2HeadersFrame frame) {
        ValidatedHttp2Request request;
        try {
            request = Http2RequestValidator.validate(frame.headers(), frame.isEndStream());
        } catch (MalformedHttp2Exception e) {
            session.log().malformed(e.reason());
            ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.PROTOCOL_ERROR));
            return;
        }
        Judgement judgement = session.policy().judge(new Http2RequestView(request, frame.headers()));
        ex = new StreamExchange(request, judgement);
        ex.downstream = (Http2StreamChannel) ctx.channel();
        switch (judgement.outcome()) {
            case AUDIT:
            case FORWARD:
                forward(frame.headers());
                break;
            case DENY:
                session.log().request(ex, null);
                LocalReplies.denied(ctx.channel(), ex.grpc != null, request.method().equals("HEAD"));
                answeredLocally(Verdict.DENIED, 403, GrpcStatus.PERMISSION_DENIED, null);
                break;
            default:
                session.log().request(ex, null);
                LocalReplies.error(ctx.channel(), ex.grpc != null, 500, GrpcStatus.INTERNAL, "policy evaluation failed");
                answeredLocally(Verdict.ERROR, 500, GrpcStatus.INTERNAL, judgement.reason());
        }
    }

    private void forward(Http2Headers received) {
        Http2Headers headers = UpstreamRequest.headers(received, ex.request);
        String note = UpstreamRequest.applyActions(ex.judgement.headerActions(), headers);
        session.log().request(ex, note);
        relay = new ResponseRelay(ex, session.log(), this);
        Promise<Http2StreamChannel> opened = ctx.executor().newPromise();
        session.openUpstream(relay, opened, ex.request.isWebSocket());
        opened.addListener((Future<Http2StreamChannel> f) -> {
            if (!f.isSuccess()) {
                upstreamUnavailable(f.cause());
                return;
            }
            Http2StreamChannel upstream = f.getNow();
            if (!ctx.channel().isActive() || ex.reset) {
                upstream.close();
                return;
            }
            ex.upstream = upstream;
            lastWrite = upstream.write(new DefaultHttp2HeadersFrame(headers, ex.request.endStream()));
            for (Object msg; (msg = waiting.poll()) != null && !ex.reset; ) {
                relayFrame(msg);
            }
            releaseWaiting();
            upstream.flush();
            upstream.read();
            if (!ex.reset) {
                afterWrite();
            }
        });
    }

    private void onTrailers(Http2HeadersFrame frame) {
        try {
            if (!frame.isEndStream()) {
                throw new MalformedHttp2Exception("second header block without END_STREAM");
            }
            Http2RequestValidator.validateTrailers(frame.headers());
        } catch (MalformedHttp2Exception e) {
            resetBoth(Http2Error.PROTOCOL_ERROR, "malformed trailers: " + e.reason());
            return;
        }
        ex.requestEnded = true;
        lastWrite = ex.upstream.write(new DefaultHttp2HeadersFrame(frame.headers(), true));
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (ex != null && ex.upstream != null && lastWrite != null) {
            ex.upstream.flush();
            afterWrite();
        }
    }

    /** Reads on once the last write reached the upstream stream (read-after-write). */
    private void afterWrite() {
        ChannelFuture write = lastWrite;
        lastWrite = null;
        write.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                resetBoth(Http2Error.INTERNAL_ERROR, "upstream write failed: " + f.cause());
            } else if (!ex.requestEnded && !ex.reset) {
                if (ex.upstream.isWritable()) {
                    ctx.read();
                } else {
                    readPending = true;
                }
            }
        });
    }

    /** The upstream stream drained its queue (window update or socket drained): read on. */
    void upstreamWritable() {
        if (readPending && !ex.reset) {
            readPending = false;
            ctx.read();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (relay != null && ctx.channel().isWritable()) {
            relay.downstreamWritable();
        }
    }

    /**
     * The upstream accepted the WebSocket: from now on the stream is a tunnel, with one idle timer
     * on the downstream stream (what the upstream sends is written there, so it sees both ways).
     */
    void tunnelOpened(int status) {
        ex.tunnelSinceNanos = System.nanoTime();
        ex.tunnelStatus = status;
        ctx.pipeline().addFirst("h2-tunnel-idle", new IdleStateHandler(0, 0,
                session.tunnelIdleTimeout().toNanos(), TimeUnit.NANOSECONDS));
    }

    /**
     * The client reset the stream (e.g. a gRPC cancel or deadline): the upstream learns it too. A
     * WebSocket that carried nothing for the idle timeout is ended on both sides (CANCEL).
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof Http2ResetFrame && ex != null && !ex.reset) {
            ex.reset = true;
            long code = ((Http2ResetFrame) evt).errorCode();
            if (ex.upstream != null) {
                ex.upstream.writeAndFlush(new DefaultHttp2ResetFrame(code));
            }
            String reason = "stream reset by client (" + errorName(code) + ")";
            ex.tunnelEnd = reason;
            session.log().response(ex, Verdict.ERROR, 0, null, reason);
        } else if (evt instanceof IdleStateEvent && ex != null) {
            ex.tunnelEnd = "idle timeout";
            resetBoth(Http2Error.CANCEL, "idle timeout");
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseWaiting();
        session.takeFrameAfterEndStream(((Http2StreamChannel) ctx.channel()).stream().id());
        if (ex != null) {
            if (ex.upstream != null && ex.upstream.isActive()) {
                ex.upstream.close();   // resets the upstream stream (CANCEL) unless it already ended
            }
            if (ex.tunnelSinceNanos != 0) {
                session.log().tunnelClosed(ex, ex.tunnelEnd != null ? ex.tunnelEnd : "closed");
            } else if (!ex.responseEnded) {
                session.log().response(ex, Verdict.ERROR, 0, null, "stream closed before the response ended");
            }
        }
    }

    /**
     * A stream error found by Netty's codec (malformed header block or trailers, flow-control or
     * content-length violation) ends the stream with its code on both sides; Netty may have reset
     * the downstream stream already, then the second reset is dropped. Anything else is our own
     * failure: INTERNAL_ERROR.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Http2Error error = Http2Error.INTERNAL_ERROR;
        if (cause instanceof Http2FrameStreamException) {
            error = ((Http2FrameStreamException) cause).error();
        } else if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) != null) {
            error = Http2CodecUtil.getEmbeddedHttp2Exception(cause).error();
        }
        if (session.takeFrameAfterEndStream(((Http2StreamChannel) ctx.channel()).stream().id())) {
            error = Http2Error.STREAM_CLOSED;   // RFC 9113 §5.1: a frame on a half-closed (remote) stream
        }
        String reason = "stream error " + error.name() + ": " + rootMessage(cause);
        if (ex != null) {
            resetBoth(error, reason);
        } else {
            session.log().malformed(reason);
            ctx.writeAndFlush(new DefaultHttp2ResetFrame(error));
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }

    private void answeredLocally(Verdict verdict, int httpCode, int grpcStatus, String reason) {
        ex.responseStarted = true;
        ex.responseEnded = true;
        session.log().response(ex, verdict, ex.grpc != null ? 200 : httpCode,
                ex.grpc != null ? grpcStatus : null, reason);
        if (!ex.requestEnded) {
            // The answer is complete; RFC 9113 §8.1 lets a server stop the upload without error.
            ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.NO_ERROR));
        }
    }

    private void upstreamUnavailable(Throwable cause) {
        if (!ctx.channel().isActive() || ex.reset) {
            return;
        }
        if (cause instanceof UpstreamConnection.ExtendedConnectRefused) {
            LocalReplies.error(ctx.channel(), false, 502, GrpcStatus.UNAVAILABLE, null);
            answeredLocally(Verdict.ERROR, 502, GrpcStatus.UNAVAILABLE, cause.getMessage());
            return;
        }
        LocalReplies.error(ctx.channel(), ex.grpc != null, 503, GrpcStatus.UNAVAILABLE, "upstream unavailable");
        answeredLocally(Verdict.ERROR, 503, GrpcStatus.UNAVAILABLE, "upstream unavailable: " + cause);
    }

    /** Ends the stream on both sides with {@code error} (downstream) and CANCEL (upstream). */
    void resetBoth(Http2Error error, String reason) {
        if (ex.reset) {
            return;
        }
        ex.reset = true;
        session.log().response(ex, Verdict.ERROR, 0, null, reason);
        if (ex.upstream != null) {
            ex.upstream.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.CANCEL));
        }
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(new DefaultHttp2ResetFrame(error));
        }
    }

    private void releaseWaiting() {
        for (Object msg; (msg = waiting.poll()) != null; ) {
            ReferenceCountUtil.release(msg);
        }
    }

    static String errorName(long code) {
        Http2Error error = Http2Error.valueOf(code);
        return error == null ? "error " + code : error.name();
    }
}
