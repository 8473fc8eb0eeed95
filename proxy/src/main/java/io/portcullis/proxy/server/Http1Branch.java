package io.portcullis.proxy.server;

import io.portcullis.config.HttpLimits;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.portcullis.parsers.http1.StrictHttpRequestDecoder;
import io.portcullis.proxy.accesslog.AccessLog;
import io.portcullis.proxy.http1.Http1ProxyHandler;
import io.portcullis.proxy.http1.ProxyResponseEncoder;
import io.portcullis.proxy.http1.RequestTimer;
import io.portcullis.proxy.http1.RequestValidationHandler;
import io.portcullis.proxy.http2.Http2Installer;
import io.portcullis.proxy.upstream.UpstreamConnector;

/**
 * HTTP/1.1: the connection starts with a method token (or the empty lines RFC 9112 §2.2 lets a
 * server skip). Asked after the HTTP/2 branch, so {@code PRI * HTTP/2.0} never lands here.
 */
final class Http1Branch implements ProtocolBranch {
    private static final String TCHAR_SYMBOLS = "!#$%&'*+-.^_`|~";

    private final HttpLimits limits;
    private final UpstreamConnector upstream;
    private final AccessLog accessLog;
    private final Http2Installer http2;

    Http1Branch(HttpLimits limits, UpstreamConnector upstream, AccessLog accessLog, Http2Installer http2) {
        this.limits = limits;
        this.upstream = upstream;
        this.accessLog = accessLog;
        this.http2 = http2;
    }

    @Override
    public String name() {
        return "http1";
    }

    @Override
    public Match match(ByteBuf prefix) {
        int b = prefix.getUnsignedByte(prefix.readerIndex());
        boolean token = b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
                || b < 128 && TCHAR_SYMBOLS.indexOf(b) >= 0;
        return token || b == '\r' || b == '\n' ? Match.YES : Match.NO;
    }

    @Override
    public void install(Channel ch) {
        ch.pipeline().addLast("timer", new RequestTimer(limits.headerReadTimeout(), limits.idleTimeout()))
                .addLast("decoder", new StrictHttpRequestDecoder(limits.maxInitialLineLength(), limits.maxHeaderSize(),
                        limits.maxChunkSize()))
                .addLast("encoder", new ProxyResponseEncoder())
                .addLast("h2c", http2.upgradeHandler(ch, "timer", "encoder", "validator", "proxy", "decoder"))
                .addLast("validator", new RequestValidationHandler())
                .addLast("proxy", new Http1ProxyHandler(upstream, accessLog, limits.maxDiscardedBody(),
                        limits.websocketIdleTimeout()));
    }
}
