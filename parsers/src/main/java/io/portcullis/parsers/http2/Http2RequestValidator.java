package io.portcullis.parsers.http2;

import io.portcullis.parsers.http1.BadRequestException;
import io.portcullis.parsers.http1.RequestTarget;

import java.util.Map;
import java.util.Set;

/**
 * The checks of RFC 9113 §8.2 and §8.3 on a decoded request header block, plus the proxy's own
 * path normalisation. Netty's decoder (header validation on) already refuses most of these; they
 * are checked again here so that the guarantee does not depend on a Netty default, and because
 * some (missing or empty {@code :path}, {@code :authority} against Host, the path tricks) Netty
 * does not check at all. Any failure is a {@link MalformedHttp2Exception}: the stream is reset
 * with {@code PROTOCOL_ERROR} and nothing is forwarded.
 *
 * <p>Rules: exactly one {@code :method}, {@code :scheme} and non-empty {@code :path}, at most one
 * {@code :authority}, no other pseudo-header; lower-case token names; no CR, LF or NUL in values
 * and no leading or trailing whitespace; none of the connection-specific fields
 * ({@code connection}, {@code keep-alive}, {@code proxy-connection}, {@code transfer-encoding},
 * {@code upgrade}); {@code te} only as {@code trailers}; at most one, well-formed
 * {@code content-length}; Host, when present with {@code :authority}, equal to it. A plain
 * CONNECT is refused (the proxy does not tunnel TCP); the extended CONNECT of RFC 8441 is
 * accepted for {@code :protocol websocket} only, with the {@code :scheme} and origin-form
 * {@code :path} it requires, and its path is read as the GET of the HTTP/1.1 handshake it stands for.
 *
 * <p>Iteration order cannot reveal a pseudo-header after a regular field (Netty's header map
 * keeps pseudo-headers first); that rule is enforced by Netty's HPACK decoder.
 */
public final class Http2RequestValidator {
    private static final Set<String> CONNECTION_SPECIFIC = Set.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "upgrade");

    private Http2RequestValidator() {
    }

    /**
     * @param headers   the decoded block, in the decoder's order
     * @param endStream whether the HEADERS frame carried END_STREAM
     */
    public static ValidatedHttp2Request validate(Iterable<? extends Map.Entry<? extends CharSequence,
            ? extends CharSequence>> headers, boolean endStream) {
        String method = null;
        String scheme = null;
        String path = null;
        String authority = null;
        String protocol = null;
        String host = null;
        String contentType = null;
        boolean contentLength = false;
        for (Map.Entry<? extends CharSequence, ? extends CharSequence> field : headers) {
            String name = field.getKey().toString();
            String value = field.getValue().toString();
            checkValue(name, value);
            if (name.startsWith(":")) {
                switch (name) {
                    case ":method":
                        method = once(method, name, value);
                        break;
                    case ":scheme":
                        scheme = once(scheme, name, value);
                        break;
                    case ":path":
                        path = once(path, name, value);
                        break;
                    case ":authority":
                        authority = once(authority, name, value);
                        break;
                    case ":protocol":
                        protocol = once(protocol, name, value);
                        break;
                    default:
                        throw new MalformedHttp2Exception("unknown or misplaced pseudo-header " + name);
                }
                continue;
            }
            checkRegularField(name, value);
            switch (name) {
                case "host":
                    host = once(host, name, value);
                    break;
                case "content-type":
                    contentType = once(contentType, name, value);
                    break;
                case "content-length":
                    if (contentLength || !isDigits(value)) {
                        throw new MalformedHttp2Exception("duplicate or malformed content-length");
                    }
                    contentLength = true;
                    break;
                default:
                    break;
            }
        }
        if (method == null || scheme == null || path == null) {
            throw new MalformedHttp2Exception("missing :method, :scheme or :path");
        }
        if (!isToken(method)) {
            throw new MalformedHttp2Exception("invalid :method");
        }
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new MalformedHttp2Exception("unsupported :scheme");
        }
        if (path.isEmpty()) {
            throw new MalformedHttp2Exception("empty :path");
        }
        if (protocol != null) {
            extendedConnect(method, protocol);
        }
        if (path.charAt(0) != '/' && !(path.equals("*") && method.equals("OPTIONS"))) {
            throw new MalformedHttp2Exception(":path must be origin-form");
        }
        String effectiveAuthority = authority(authority, host);
        RequestTarget target;
        try {
            target = RequestTarget.parse(protocol != null ? "GET" : method, path);
        } catch (BadRequestException e) {
            throw new MalformedHttp2Exception(e.reason());
        }
        return new ValidatedHttp2Request(method, scheme, target.pathAndQuery(), effectiveAuthority, contentType,
                endStream, protocol);
    }

    /** RFC 8441 §4: {@code :protocol} only on CONNECT; of the protocols it can name, the proxy carries WebSocket. */
    private static void extendedConnect(String method, String protocol) {
        if (!method.equals("CONNECT")) {
            throw new MalformedHttp2Exception(":protocol on a " + method + " request");
        }
        if (!protocol.equalsIgnoreCase("websocket")) {
            throw new MalformedHttp2Exception("unsupported :protocol " + protocol);
        }
    }

    /** Trailers: regular fields only, under the same name and value rules. */
    public static void validateTrailers(Iterable<? extends Map.Entry<? extends CharSequence,
            ? extends CharSequence>> trailers) {
        for (Map.Entry<? extends CharSequence, ? extends CharSequence> field : trailers) {
            String name = field.getKey().toString();
            String value = field.getValue().toString();
            if (name.startsWith(":")) {
                throw new MalformedHttp2Exception("pseudo-header " + name + " in trailers");
            }
            checkValue(name, value);
            checkRegularField(name, value);
        }
    }

    private static void checkRegularField(String name, String value) {
        if (!isToken(name)) {
            throw new MalformedHttp2Exception("invalid field name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                throw new MalformedHttp2Exception("upper-case field name");
            }
        }
        if (CONNECTION_SPECIFIC.contains(name)) {
            throw new MalformedHttp2Exception("connection-specific field " + name);
        }
        if (name.equals("te") && !value.equals("trailers")) {
            throw new MalformedHttp2Exception("te other than trailers");
        }
    }

    private static void checkValue(String name, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new MalformedHttp2Exception("CR, LF or NUL in field " + name);
            }
        }
        if (!value.isEmpty() && (isBlank(value.charAt(0)) || isBlank(value.charAt(value.length() - 1)))) {
            throw new MalformedHttp2Exception("leading or trailing whitespace in field " + name);
        }
    }

    private static String authority(String authority, String host) {
        String effective = authority != null ? authority : host;
        if (effective == null) {
            return "";
        }
        if (authority != null && host != null && !authority.equalsIgnoreCase(host)) {
            throw new MalformedHttp2Exception("host differs from :authority");
        }
        try {
            RequestTarget.checkAuthority(effective);
        } catch (BadRequestException e) {
            throw new MalformedHttp2Exception(e.reason());
        }
        return effective;
    }

    private static String once(String previous, String name, String value) {
        if (previous != null) {
            throw new MalformedHttp2Exception("duplicate " + name);
        }
        return value;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean isDigits(String value) {
        if (value.isEmpty() || value.length() > 18) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** RFC 9110 token (tchar+). */
    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
