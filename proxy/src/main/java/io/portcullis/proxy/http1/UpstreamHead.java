package io.portcullis.proxy.http1;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.portcullis.parsers.http1.ValidatedRequest;

/**
 * Turns a validated request head into the head sent upstream, before policy judges it: the policy
 * must see exactly the method, target, Host and fields the upstream will read.
 */
final class UpstreamHead {
    private UpstreamHead() {
    }

    /**
     * Strips hop-by-hop fields, writes the normalised origin-form target, and, for an absolute-form
     * target, the authority it names as Host (RFC 9112 §3.2.2: it wins over any Host field).
     *
     * @return whether the request is a WebSocket opening handshake (its upgrade fields are kept)
     */
    static boolean prepare(HttpRequest request, ValidatedRequest validated) {
        boolean webSocket = WebSocketUpgrade.stripHopByHop(request);
        request.setUri(validated.url());
        if (validated.target().authority() != null) {
            request.headers().set(HttpHeaderNames.HOST, validated.host());
        }
        return webSocket;
    }
}
