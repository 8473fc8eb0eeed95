package io.portcullis.proxy.http1;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Removes hop-by-hop fields (RFC 9110 §7.6.1) so each side of the proxy negotiates its own
 * connection. {@code Upgrade} is dropped too: the upstream must never be asked to switch
 * protocols, except by a WebSocket handshake ({@link WebSocketUpgrade} puts its fields back). Fields that frame the message or name the target can not be removed
 * by listing them in {@code Connection}: otherwise a client could strip Content-Length between
 * the proxy's parse and the upstream's.
 */
final class HopByHop {
    private static final List<AsciiString> ALWAYS = List.of(AsciiString.cached("keep-alive"),
            AsciiString.cached("proxy-connection"), HttpHeaderNames.TE, HttpHeaderNames.UPGRADE,
            HttpHeaderNames.PROXY_AUTHENTICATE);
    private static final Set<String> PROTECTED = Set.of("host", "content-length", "transfer-encoding");

    private HopByHop() {
    }

    static void strip(HttpHeaders headers) {
        // Most messages carry no Connection field: skip the token lists then (this runs twice per request).
        if (headers.contains(HttpHeaderNames.CONNECTION)) {
            List<String> nominated = new ArrayList<>();
            for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
                for (String token : value.split(",")) {
                    String name = token.trim().toLowerCase(java.util.Locale.ROOT);
                    if (!name.isEmpty() && !PROTECTED.contains(name)) {
                        nominated.add(name);
                    }
                }
            }
            headers.remove(HttpHeaderNames.CONNECTION);
            for (String name : nominated) {
                headers.remove(name);
            }
        }
        for (AsciiString name : ALWAYS) {
            headers.remove(name);
        }
    }
}
