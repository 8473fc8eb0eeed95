package io.portcullis.proxy.http1;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.portcullis.proxy.channel.Drain;
import io.portcullis.parsers.http1.Rejections;
import io.portcullis.parsers.http1.StrictHttpRequestDecoder;
import io.portcullis.parsers.http1.ValidatedRequest;
import io.portcullis.proxy.accesslog.AccessLog;
import io.portcullis.proxy.accesslog.AccessLogEntry.Verdict;
import io.portcullis.proxy.policy.ConnectionPolicy;
import io.portcullis.proxy.policy.Judgement;
import io.portcullis.proxy.upstream.UpstreamConnector;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The enforcement point of one downstream HTTP/1.1 connection: judges each request, forwards the
 * allowed ones to a lazily opened upstream connection, answers denied and bad ones itself, and
 * relays responses ({@link Http1Upstream}), all on the connection's event loop.
 *
 * <p>Ordering: exactly one exchange is in flight. Objects decoded while the current request is
 * complete but its response is not (pipelining) are queued and reading stops; the queue is
 * drained when the exchange ends. Backpressure: auto-read is off; each side is read once the write of
 * what it last produced completed (a complete request keeps one read armed while it is answered).
 *
 * <p>Fail closed: no connection context, a policy error, a malformed request or response, or an
 * upstream failure ends in a local error answer (or, once a response is under way, a close),
 * never in unchecked forwarding.
 */
public final class Http1ProxyHandler extends ChannelInboundHandlerAdapter {
    /** How long an idle keep-alive connection of a draining proxy waits for one last request. */

    private final UpstreamConnector connector;
    private final AccessLog accessLog;
    private final long maxDiscardedBody;
    private final Duration tunnelIdleTimeout;
    private final ArrayDeque<Object> queued = new ArrayDeque<>();

    private ChannelHandlerContext ctx;
    private RequestTimer timer;
    private ProxyResponseEncoder encoder;
    private StrictHttpRequestDecoder decoder;
    private ConnectionPolicy policy;
    private ExchangeLog log;
    private Exchange current;
    private Http1Upstream upstream;
    private boolean closing;
    private boolean inputClosed;
    private boolean resuming;

    public Http1ProxyHandler(UpstreamConnector connector, AccessLog accessLog, long maxDiscardedBody,
                             Duration tunnelIdleTimeout) {
        this.connector = connector;
        this.accessLog = accessLog;
        this.maxDiscardedBody = maxDiscardedBody;
        this.tunnelIdleTimeout = tunnelIdleTimeout;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.timer = ctx.pipeline().get(RequestTimer.class);
        this.encoder = ctx.pipeline().get(ProxyResponseEncoder.class);
        this.decoder = ctx.pipeline().get(StrictHttpRequestDecoder.class);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        policy = ctx.channel().attr(ConnectionPolicy.CHANNEL_ATTRIBUTE).get();
        if (policy == null) {
            ctx.close();
            return;
        }
        log = new ExchangeLog(accessLog, policy.connection());
        upstream = new Http1Upstream(this, ctx, connector, policy.connection(), log, encoder);
        ctx.read();
    }

    // ---------------------------------------------------------------- downstream input

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            ReferenceCountUtil.release(msg);
        } else if (!queued.isEmpty() || current != null && current.requestComplete) {
            queued.add(msg);
        } else {
            process(msg);
            // Keep a read armed while the response is awaited: re-adding read interest every exchange
            // costs two epoll_ctl calls. Bounded: what arrives meanwhile is queued, which stops reading.
            // Not for a WebSocket handshake: what follows its 101 is not HTTP.
            if (!closing && current != null && current.requestComplete && queued.isEmpty() && !current.webSocket) {
                ctx.read();
            }
        }
    }

    private void process(Object msg) {
        if (msg instanceof ProxiedRequest) {
            onRequest((ProxiedRequest) msg);
        } else if (msg instanceof RejectedRequest) {
            onRejected((RejectedRequest) msg);
        } else if (msg instanceof HttpContent && current != null) {
            onRequestContent((HttpContent) msg);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onRejected(RejectedRequest rejected) {
        timer.stop();
        log.refused(rejected.request(), rejected.cause().status(), rejected.cause().reason());
        answerAndClose(rejected.cause().status());
    }

    private void onRequest(ProxiedRequest proxied) {
        timer.stop();
        HttpRequest request = proxied.request();
        ValidatedRequest validated = proxied.validated();
        boolean webSocket = UpstreamHead.prepare(request, validated);
        Judgement judgement = policy.judge(new RequestView(validated, request.headers()));
        Exchange ex = new Exchange(validated, judgement);
        ex.closeAfter |= Drain.isDraining(ctx.channel());
        current = ex;
        switch (judgement.outcome()) {
            case AUDIT:
            case FORWARD:
                String note = HeaderActions.apply(judgement.headerActions(), request.headers());
                log.request(ex, note);
                ex.mode = Exchange.Mode.FORWARD;
                if (!validated.keepAlive()) {
                    request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                } else if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
                    request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                }
                if (webSocket) {   // last: Connection: Upgrade replaces a close (closeAfter still holds)
                    WebSocketUpgrade.restore(request.headers());
                    ex.webSocket = true;
                }
                upstream.send(request);
                break;
            case DENY:
                log.request(ex, null);
                ReferenceCountUtil.release(request);
                deny(ex);
                break;
            default:
                log.request(ex, null);
                ReferenceCountUtil.release(request);
                ex.mode = Exchange.Mode.FAILED;
                log.response(ex, Verdict.ERROR, 500, judgement.reason());
                answerAndClose(500);
        }
    }

    private void deny(Exchange ex) {
        ex.mode = Exchange.Mode.DISCARD;
        // A client waiting for 100-continue may never send the body it announced: the next bytes
        // could be either, so the connection cannot be reused.
        ex.closeAfter |= ex.request.expectsContinue();
        encoder.respondingTo(ex.head);
        ctx.writeAndFlush(LocalResponses.denied(ex.head, ex.closeAfter));
        ex.responseStarted = true;
        ex.responseComplete = true;
        log.response(ex, Verdict.DENIED, 403, null);
        if (ex.closeAfter) {
            closeAfterFlush();
        } else {
            timer.awaitDiscard();
        }
    }

    private void onRequestContent(HttpContent content) {
        Exchange ex = current;
        boolean last = content instanceof LastHttpContent;
        if (content.decoderResult().isFailure()) {
            content.release();
            int status = Rejections.of(content.decoderResult().cause()).status();
            if (ex.mode == Exchange.Mode.FORWARD) {
                // Never finish a broken body upstream: the upstream would act on a truncated request.
                closeUpstream();
                if (!ex.responseStarted) {
                    log.response(ex, Verdict.ERROR, status, "malformed request body");
                }
            }
            answerAndClose(status);
            return;
        }
        if (last) {
            ex.requestComplete = true;
        }
        switch (ex.mode) {
            case FORWARD:
                upstream.send(content);
                if (last) {
                    tryFinish();
                }
                break;
            case DISCARD:
                ex.discarded += content.content().readableBytes();
                content.release();
                if (last) {
                    tryFinish();
                } else if (ex.discarded > maxDiscardedBody) {
                    closeAfterFlush();
                } else {
                    ctx.read();
                }
                break;
            default:
                content.release();
        }
    }

    // ---------------------------------------------------------------- exchange life cycle

    void tryFinish() {
        Exchange ex = current;
        if (ex == null || !ex.responseComplete) {
            return;
        }
        if (!ex.requestComplete) {
            if (ex.mode == Exchange.Mode.FORWARD) {
                // The upstream answered before the whole body arrived; neither side can be reused.
                closeUpstream();
                closeAfterFlush();
            }
            return;
        }
        current = null;
        if (ex.closeAfter) {
            closeAfterFlush();
        } else {
            resume();
        }
    }

    /** Handles queued objects until an exchange is in flight again, then waits for input. */
    private void resume() {
        if (resuming) {
            return;
        }
        resuming = true;
        try {
            while (!closing && (current == null || !current.requestComplete)) {
                Object next = queued.poll();
                if (next == null) {
                    break;
                }
                process(next);
            }
        } finally {
            resuming = false;
        }
        if (closing) {
            return;
        }
        if (current == null) {
            if (inputClosed) {
                closeAfterFlush();
                return;
            }
            if (decoder.hasBufferedInput()) {
                timer.awaitHead();
            } else {
                timer.awaitIdle();
            }
            ctx.read();
        } else if (!current.requestComplete && current.mode == Exchange.Mode.DISCARD) {
            ctx.read();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof RequestTimer.Expired) {
            onTimeout((RequestTimer.Expired) evt);
        } else if (evt == Drain.EVENT) {
            // A busy connection ends at its next response; an idle one gets a moment for a request
            // already on its way, then closes (closing it at once could cut a request in flight).
            ctx.executor().schedule(() -> {
                if (current == null && queued.isEmpty() && ctx.channel().isOpen()) {
                    closeAfterFlush();
                }
            }, Drain.GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } else if (evt instanceof ChannelInputShutdownEvent) {
            inputClosed = true;
            if (current == null && queued.isEmpty()) {
                closeAfterFlush();
            } else if (current != null && !current.requestComplete) {
                closeNow();
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void onTimeout(RequestTimer.Expired kind) {
        if (closing) {
            return;
        }
        if (kind == RequestTimer.Expired.HEAD && current == null) {
            log.refused(null, 408, "request head not received in time");
            answerAndClose(408);
        } else {
            closeNow();
        }
    }

    // ---------------------------------------------------------------- closing

    /** Sends a local error (unless a response is under way) and closes. */
    void answerAndClose(int status) {
        timer.stop();
        if (current != null && current.responseStarted) {
            closeNow();
            return;
        }
        encoder.respondingTo(false);
        ctx.write(LocalResponses.error(status));
        closeAfterFlush();
    }

    private void closeAfterFlush() {
        closing = true;
        timer.stop();
        closeUpstream();
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    /** Closes the connection now: the client can only learn of a failure mid-response from the close. */
    void closeNow() {
        closing = true;
        ctx.close();
    }

    /** The WebSocket handshake in flight was answered 101 (relayed): this handler leaves for a tunnel. */
    void switchToTunnel(Channel upstreamChannel) {
        Exchange ex = current;
        current = null;
        closing = true;
        WebSocketUpgrade.switchToTunnel(ctx.channel(), upstreamChannel, queued.isEmpty(), tunnelIdleTimeout,
                (reason, fromClient, toClient, nanos) -> log.tunnelClosed(ex, reason, fromClient, toClient, nanos));
    }

    /** The exchange in flight, or null between exchanges. */
    Exchange current() {
        return current;
    }

    private void closeUpstream() {
        if (upstream != null) {
            upstream.close();
        }
    }

    /**
     * The client drained what was queued for it: resume reading the response. Without this a body
     * larger than the write buffer's high water mark stalls once the client falls behind.
     */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && upstream != null) {
            upstream.clientWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        closeUpstream();
        for (Object msg; (msg = queued.poll()) != null; ) {
            ReferenceCountUtil.release(msg);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        closeNow();
    }
}
