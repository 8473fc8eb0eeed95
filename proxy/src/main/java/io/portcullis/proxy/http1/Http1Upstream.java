package io.portcullis.proxy.http1;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.portcullis.proxy.accesslog.AccessLogEntry.Verdict;
import io.portcullis.proxy.channel.Drain;
import io.portcullis.proxy.context.ConnectionContext;
import io.portcullis.proxy.logging.RateLimitedLogger;
import io.portcullis.proxy.upstream.UpstreamConnector;
import io.portcullis.proxy.upstream.UpstreamLink;
import io.portcullis.proxy.upstream.UpstreamListener;

import java.util.concurrent.TimeUnit;

/**
 * The upstream side of one downstream HTTP/1.1 connection: its {@link UpstreamLink}, and the
 * relay of the responses to the exchange in flight. A request head arms one upstream read; each
 * response piece is read once the client took the last one (auto-read is off on both sides).
 *
 * <p>Fail closed: a response nobody asked for, a malformed one, a protocol switch never offered,
 * or an upstream that fails ends in 502/503, or in a close once a response is under way.
 */
final class Http1Upstream implements UpstreamListener, UpstreamLink.Owner<HttpObject> {
    private static final RateLimitedLogger UPSTREAM_LOG =
            new RateLimitedLogger(System.getLogger(Http1ProxyHandler.class.getName()), 10, TimeUnit.SECONDS);

    private final Http1ProxyHandler handler;
    private final ChannelHandlerContext ctx;
    private final UpstreamConnector connector;
    private final ConnectionContext connection;
    private final ExchangeLog log;
    private final ProxyResponseEncoder encoder;
    private final UpstreamLink<HttpObject> link = new UpstreamLink<>(this);
    private final ChannelFutureListener afterWrite = this::afterWrite;   // one object for all writes

    Http1Upstream(Http1ProxyHandler handler, ChannelHandlerContext ctx, UpstreamConnector connector,
                  ConnectionContext connection, ExchangeLog log, ProxyResponseEncoder encoder) {
        this.handler = handler;
        this.ctx = ctx;
        this.connector = connector;
        this.connection = connection;
        this.log = log;
        this.encoder = encoder;
    }

    // ---------------------------------------------------------------- requests

    /** Forwards a request head or body piece, connecting first when there is no connection. */
    void send(HttpObject msg) {
        link.open();
        link.send(msg);
    }

    void close() {
        link.close();
    }

    /** The client drained what was queued for it: read on, so a large response does not stall. */
    void clientWritable() {
        Exchange ex = handler.current();
        if (ex != null && !ex.responseComplete) {
            link.read();
        }
    }

    @Override
    public ChannelFuture open() {
        return connector.connect(ctx.channel().eventLoop(), connection.upstream(), connection.upstreamMark(), this);
    }

    @Override
    public void write(Channel upstream, HttpObject msg) {
        upstream.writeAndFlush(msg).addListener(afterWrite);
        if (msg instanceof HttpRequest) {
            upstream.read();
        }
    }

    @Override
    public void connected(Channel upstream) {
        // Nothing more: each held message was written with its own read-after-write listener.
    }

    @Override
    public void connectFailed(Throwable cause) {
        UPSTREAM_LOG.log(System.Logger.Level.WARNING, "connect " + connection.upstream(),
                "upstream " + connection.upstream() + " unreachable: " + cause);
        Exchange ex = handler.current();
        if (ex != null && ex.mode == Exchange.Mode.FORWARD && !ex.responseStarted) {
            log.response(ex, Verdict.ERROR, 503, "upstream connect failed: " + cause.getMessage());
            handler.answerAndClose(503);
        }
    }

    /** The request body is read on only once the upstream took the last piece. */
    private void afterWrite(ChannelFuture f) {
        if (!f.isSuccess()) {
            link.close();
            return;
        }
        if (forwardingBody() && link.writable()) {
            ctx.read();
        }
    }

    @Override
    public void upstreamWritabilityChanged(Channel ch) {
        if (link.is(ch) && ch.isWritable() && forwardingBody()) {
            ctx.read();
        }
    }

    private boolean forwardingBody() {
        Exchange ex = handler.current();
        return ex != null && ex.mode == Exchange.Mode.FORWARD && !ex.requestComplete;
    }

    // ---------------------------------------------------------------- responses

    @Override
    public void upstreamRead(Channel ch, HttpObject msg) {
        Exchange ex = handler.current();
        if (!link.is(ch) || ex == null || ex.mode != Exchange.Mode.FORWARD || ex.responseComplete) {
            // A response nobody asked for: the upstream is out of step, drop the connection.
            ReferenceCountUtil.release(msg);
            if (link.is(ch)) {
                link.close();
            } else {
                ch.close();
            }
            return;
        }
        if (msg.decoderResult().isFailure()) {
            ReferenceCountUtil.release(msg);
            broken(ex, "malformed response from upstream: " + msg.decoderResult().cause());
            return;
        }
        if (msg instanceof HttpResponse && !onResponseHead(ex, (HttpResponse) msg)) {
            return;
        }
        if (ex.switching) {
            // The 101 has no body: its end is where the WebSocket starts.
            ctx.writeAndFlush(msg);
            if (msg instanceof LastHttpContent) {
                handler.switchToTunnel(ch);
            }
            return;
        }
        if (msg instanceof LastHttpContent) {
            if (ex.interim) {
                ex.interim = false;
            } else {
                ex.responseComplete = true;
                if (!ex.upstreamReusable) {
                    link.close();
                }
            }
        }
        boolean more = !ex.responseComplete;
        ctx.writeAndFlush(msg).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                f.channel().close();
            } else if (more && link.is(ch) && ctx.channel().isWritable()) {
                ch.read();
            }
        });
        if (ex.responseComplete) {
            if (link.is(ch)) {
                ch.read();   // notice an idle close (or a stray byte) before the next request
            }
            handler.tryFinish();
        }
    }

    /** @return false when the head was refused (and already handled) */
    private boolean onResponseHead(Exchange ex, HttpResponse response) {
        int code = response.status().code();
        if (code == 101) {
            return onSwitch(ex, response);
        }
        boolean clientKeepAlive = !ex.closeAfter;
        // A draining proxy ends the connection at this response: the client's next request goes to the new proxy.
        ex.closeAfter |= Drain.isDraining(ctx.channel());
        // Read before the hop-by-hop fields go: an upstream that says "Connection: close" must not be reused.
        boolean upstreamKeepAlive = HttpUtil.isKeepAlive(response);
        HopByHop.strip(response.headers());
        if (code < 200) {
            ex.interim = true;
            encoder.respondingTo(false);
            return true;
        }
        boolean framed = ex.head || code == 204 || code == 304 || HttpUtil.isContentLengthSet(response)
                || HttpUtil.isTransferEncodingChunked(response);
        ex.upstreamReusable = upstreamKeepAlive && framed;
        if (!framed) {
            ex.closeAfter = true;   // the body ends when the connection does
        }
        if (ex.request.protocol().equals("HTTP/1.0") && HttpUtil.isTransferEncodingChunked(response)) {
            // An HTTP/1.0 client cannot read chunked framing: relay the body close-delimited.
            response.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
            ex.closeAfter = true;
        }
        if (ex.closeAfter) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (ex.request.protocol().equals("HTTP/1.0") && clientKeepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        ex.responseStarted = true;
        encoder.respondingTo(ex.head);
        log.response(ex, Verdict.FORWARDED, code, null);
        return true;
    }

    private boolean onSwitch(Exchange ex, HttpResponse response) {
        if (!ex.webSocket || !WebSocketUpgrade.accepted(response)) {
            ReferenceCountUtil.release(response);
            broken(ex, ex.webSocket ? "upstream switched to another protocol than websocket"
                    : "upstream switched protocols although no upgrade was offered");
            return false;
        }
        HopByHop.strip(response.headers());
        WebSocketUpgrade.restore(response.headers());
        ex.switching = true;
        ex.responseStarted = true;
        encoder.respondingTo(false);
        log.response(ex, Verdict.FORWARDED, 101, null);
        return true;
    }

    @Override
    public void upstreamClosed(Channel ch, Throwable cause) {
        if (!link.is(ch)) {
            return;
        }
        link.close();
        Exchange ex = handler.current();
        if (ex != null && ex.mode == Exchange.Mode.FORWARD && !ex.responseComplete) {
            broken(ex, cause == null ? "upstream closed before the response ended"
                    : "upstream connection failed: " + cause);
        }
    }

    /** 502 when nothing was sent yet, otherwise the client can only learn it from a close. */
    void broken(Exchange ex, String reason) {
        link.close();
        if (!ex.responseStarted) {
            log.response(ex, Verdict.ERROR, 502, reason);
            handler.answerAndClose(502);
        } else {
            handler.closeNow();
        }
    }
}
