package io.portcullis.proxy.http1;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.HttpVersion;
import io.portcullis.parsers.http1.StrictHttpRequestDecoder;
import io.portcullis.proxy.tunnel.Tunnel;
import io.portcullis.proxy.upstream.UpstreamConnector;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The WebSocket opening handshake (RFC 6455 §4) carried through the HTTP/1.1 proxy: the only
 * protocol switch it relays. The request is judged like any other; an allowed one goes upstream
 * with its {@code Upgrade: websocket}, and a {@code 101} answer turns both connections into a
 * {@link Tunnel}. Any other upgrade token (h2c is the proxy's own, see the HTTP/2 package) is
 * dropped as hop-by-hop, as before.
 */
final class WebSocketUpgrade {
    private static final String WEBSOCKET = "websocket";

    private WebSocketUpgrade() {
    }

    /**
     * Whether {@code request} (before its hop-by-hop fields are stripped) asks for a WebSocket:
     * GET over HTTP/1.1, no body (no {@code Transfer-Encoding}, {@code Content-Length} absent or
     * 0), exactly one {@code Upgrade: websocket}, named in {@code Connection}.
     */
    static boolean requested(HttpRequest request) {
        HttpHeaders h = request.headers();
        return request.method().equals(HttpMethod.GET) && request.protocolVersion().equals(HttpVersion.HTTP_1_1)
                && "0".equals(h.get(HttpHeaderNames.CONTENT_LENGTH, "0"))
                && !h.contains(HttpHeaderNames.TRANSFER_ENCODING)
                && onlyWebSocket(h) && h.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
    }

    /**
     * Strips the hop-by-hop fields of {@code request} ({@link HopByHop}).
     *
     * @return whether it asked for a WebSocket ({@link #requested}), decided before they went
     */
    static boolean stripHopByHop(HttpRequest request) {
        boolean webSocket = requested(request);
        HopByHop.strip(request.headers());
        return webSocket;
    }

    /** Whether a 101 answer switches to WebSocket (and nothing else). */
    static boolean accepted(HttpMessage response) {
        return onlyWebSocket(response.headers());
    }

    private static boolean onlyWebSocket(HttpHeaders h) {
        List<String> upgrade = h.getAll(HttpHeaderNames.UPGRADE);
        return upgrade.size() == 1 && upgrade.get(0).trim().toLowerCase(Locale.ROOT).equals(WEBSOCKET);
    }

    /** Puts back the two fields the hop-by-hop strip removed: this hop does switch protocols. */
    static void restore(HttpHeaders h) {
        h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        h.set(HttpHeaderNames.UPGRADE, WEBSOCKET);
    }

    /**
     * Replaces the HTTP handlers of both connections by a tunnel. The relays go in first; the
     * decoders leave last, so bytes they hold beyond the handshake reach the relays. Unless the
     * hand-off is {@code clean}: bytes the client sent early were decoded as HTTP already, and a
     * tunnel could not carry them intact, so both connections close instead.
     */
    static void switchToTunnel(Channel client, Channel upstream, boolean clean, Duration idleTimeout,
                               Tunnel.Closed closed) {
        RequestTimer timer = client.pipeline().get(RequestTimer.class);
        if (timer != null) {
            timer.stop();
        }
        if (!clean) {
            upstream.close();
            client.close();
            closed.closed("client sent data before the protocol switch", 0, 0, 0);
            return;
        }
        Tunnel.join(client, upstream, idleTimeout, closed);
        ChannelPipeline down = client.pipeline();
        remove(down, down.get(RequestTimer.class));
        remove(down, down.get(HttpServerUpgradeHandler.class));
        remove(down, down.get(RequestValidationHandler.class));
        remove(down, down.get(Http1ProxyHandler.class));
        remove(down, down.get(ProxyResponseEncoder.class));
        remove(down, down.get(StrictHttpRequestDecoder.class));
        UpstreamConnector.removeHttpHandlers(upstream);
    }

    private static void remove(ChannelPipeline pipeline, ChannelHandler handler) {
        if (handler != null) {
            pipeline.remove(handler);
        }
    }
}
