package io.portcullis.proxy.http2;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.portcullis.parsers.http1.BadRequestException;
import io.portcullis.parsers.http1.Http1RequestValidator;
import io.portcullis.proxy.http1.RequestTimer;

import java.util.Locale;

/**
 * The HTTP/1.1 → h2c upgrade (RFC 7540 §3.2), built on Netty's {@link HttpServerUpgradeHandler}
 * and {@link Http2ServerUpgradeCodec} as {@code CleartextHttp2ServerUpgradeHandler} is. Only the
 * connection's first request is considered, and only when it passes the HTTP/1.1 validator,
 * declares no body and carries exactly one {@code HTTP2-Settings} named in {@code Connection}
 * next to {@code Upgrade}. Anything else continues as HTTP/1.1 (where {@code Upgrade} is dropped
 * as hop-by-hop). On upgrade: {@code 101}, the HTTP/1.1 handlers go, the HTTP/2 handlers come,
 * and the request becomes stream 1, judged by the stream handler like every other stream.
 */
final class H2cUpgrade {
    private final Http2Installer installer;
    private final Channel channel;
    private final String[] http1Handlers;
    /** Built when an upgrade is actually under way, not for every HTTP/1.1 connection. */
    private Http2Installer.Parts parts;

    H2cUpgrade(Http2Installer installer, Channel channel, String[] http1Handlers) {
        this.installer = installer;
        this.channel = channel;
        this.http1Handlers = http1Handlers.clone();
    }

    HttpServerUpgradeHandler handler() {
        String decoder = http1Handlers[http1Handlers.length - 1];
        HttpServerUpgradeHandler.UpgradeCodecFactory factory = protocol -> {
            if (!"h2c".contentEquals(protocol)) {
                return null;
            }
            parts = installer.parts(channel);
            return new Codec(parts, decoder);
        };
        return new FirstRequestOnly(this::leaveHttp1, factory);
    }

    /** Before the HTTP/2 handlers go in: the HTTP/1.1 ones (but the decoder) leave. */
    private void leaveHttp1(ChannelHandlerContext ctx) {
        ChannelPipeline p = ctx.pipeline();
        RequestTimer timer = p.get(RequestTimer.class);
        if (timer != null) {
            timer.stop();
        }
        for (int i = 0; i < http1Handlers.length - 1; i++) {
            if (p.get(http1Handlers[i]) != null) {
                p.remove(http1Handlers[i]);
            }
        }
        p.addBefore(ctx.name(), "h2-idle", parts.idle());
        parts.guard().upgraded();
        p.addBefore(ctx.name(), "h2-guard", parts.guard());
    }

    /**
     * Netty's codec, plus removal of the HTTP/1.1 decoder once the HTTP/2 codec is in place: bytes
     * the decoder still holds (a preface sent early) then reach the HTTP/2 codec, not the void.
     */
    private static final class Codec extends Http2ServerUpgradeCodec {
        private final String decoder;

        Codec(Http2Installer.Parts parts, String decoder) {
            super("h2-codec", parts.codec(), parts.multiplex(), parts.connection());
            this.decoder = decoder;
        }

        @Override
        public void upgradeTo(ChannelHandlerContext ctx, FullHttpRequest upgradeRequest) {
            super.upgradeTo(ctx, upgradeRequest);
            if (ctx.pipeline().get(decoder) != null) {
                ctx.pipeline().remove(decoder);
            }
            Http2Installer.readContinuously(ctx.channel());
        }
    }

    /**
     * Considers the first request only, and leaves the pipeline as soon as that request is not an
     * upgrade: every later message of a keep-alive connection would otherwise pass through it.
     */
    private static final class FirstRequestOnly extends HttpServerUpgradeHandler {
        private boolean seenRequest;
        private boolean upgrading;

        FirstRequestOnly(SourceCodec source, UpgradeCodecFactory factory) {
            super(source, factory, 0);
        }

        @Override
        protected boolean shouldHandleUpgradeRequest(HttpRequest request) {
            boolean first = !seenRequest;
            seenRequest = true;
            upgrading = first && isValidH2cUpgrade(request);
            return upgrading;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            // Netty asks shouldHandleUpgradeRequest only about requests that carry Upgrade: a
            // first request without it must count as seen too, or the handler never leaves.
            boolean request = msg instanceof HttpRequest;
            super.channelRead(ctx, msg);
            seenRequest |= request;
            if (seenRequest && !upgrading && ctx.pipeline().context(this) != null) {
                ctx.pipeline().remove(this);
            }
        }
    }

    static boolean isValidH2cUpgrade(HttpRequest request) {
        HttpHeaders headers = request.headers();
        if (!hasToken(headers.getAll(HttpHeaderNames.UPGRADE), "h2c")
                || headers.getAll(Http2CodecUtil.HTTP_UPGRADE_SETTINGS_HEADER).size() != 1
                || !hasToken(headers.getAll(HttpHeaderNames.CONNECTION), "upgrade")
                || !hasToken(headers.getAll(HttpHeaderNames.CONNECTION), "http2-settings")
                || headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            return false;
        }
        String length = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        if (length != null && !length.equals("0")) {
            return false;
        }
        try {
            Http1RequestValidator.validate(request);
            return true;
        } catch (BadRequestException e) {
            return false;   // refused on the HTTP/1.1 path, with its proper status
        }
    }

    private static boolean hasToken(Iterable<String> values, String token) {
        for (String value : values) {
            for (String t : value.split(",")) {
                if (t.trim().toLowerCase(Locale.ROOT).equals(token)) {
                    return true;
                }
            }
        }
        return false;
    }
}
