package io.portcullis.parsers.http1;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import java.util.List;

/**
 * Semantic checks on a decoded request head, after {@link StrictHttpRequestDecoder}: anything
 * that would let the proxy and the upstream disagree on where this request ends or what it names
 * is refused with a {@link BadRequestException}. Netty already refuses some of these; they are
 * checked again here so the guarantee does not depend on a Netty default.
 *
 * <ul>
 *   <li>a failed decoder result (mapped by {@link Rejections});</li>
 *   <li>Content-Length: at most one field, one value, digits only; never with Transfer-Encoding;</li>
 *   <li>Transfer-Encoding: at most one field whose value is exactly {@code chunked}, and only in
 *       HTTP/1.1 (no other coding, no list, no other spelling);</li>
 *   <li>Host: exactly one in HTTP/1.1 (RFC 9112 §3.2), at most one in HTTP/1.0, valid syntax;</li>
 *   <li>the request target (see {@link RequestTarget}).</li>
 * </ul>
 */
public final class Http1RequestValidator {
    private Http1RequestValidator() {
    }

    public static ValidatedRequest validate(HttpRequest request) {
        if (request.decoderResult().isFailure()) {
            throw Rejections.of(request.decoderResult().cause());
        }
        HttpVersion version = request.protocolVersion();
        if (version.majorVersion() != 1 || version.minorVersion() > 1) {
            throw new BadRequestException(505, "HTTP version not supported");
        }
        HttpHeaders headers = request.headers();
        checkFraming(headers, version);
        String method = request.method().name();
        RequestTarget target = RequestTarget.parse(method, request.uri());
        String host = host(headers, version, target);
        return new ValidatedRequest(method, target, host, version.text(), HttpUtil.isKeepAlive(request),
                HttpUtil.is100ContinueExpected(request));
    }

    private static void checkFraming(HttpHeaders headers, HttpVersion version) {
        List<String> lengths = headers.getAll(HttpHeaderNames.CONTENT_LENGTH);
        List<String> codings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (!lengths.isEmpty() && !codings.isEmpty()) {
            throw BadRequestException.badRequest("both Content-Length and Transfer-Encoding");
        }
        if (lengths.size() > 1) {
            throw BadRequestException.badRequest("duplicate Content-Length");
        }
        if (lengths.size() == 1 && !isDigits(lengths.get(0))) {
            throw BadRequestException.badRequest("malformed Content-Length");
        }
        if (codings.size() > 1) {
            throw BadRequestException.badRequest("duplicate Transfer-Encoding");
        }
        if (codings.size() == 1) {
            if (!codings.get(0).equals("chunked")) {
                throw BadRequestException.badRequest("unsupported Transfer-Encoding");
            }
            if (!version.equals(HttpVersion.HTTP_1_1)) {
                throw BadRequestException.badRequest("Transfer-Encoding in HTTP/1.0 request");
            }
        }
    }

    private static String host(HttpHeaders headers, HttpVersion version, RequestTarget target) {
        List<String> hosts = headers.getAll(HttpHeaderNames.HOST);
        if (hosts.size() > 1) {
            throw BadRequestException.badRequest("duplicate Host");
        }
        if (hosts.isEmpty() && version.equals(HttpVersion.HTTP_1_1)) {
            throw BadRequestException.badRequest("missing Host");
        }
        if (target.authority() != null) {
            return target.authority();   // RFC 9112 §3.2.2: absolute-form wins over Host
        }
        String host = hosts.isEmpty() ? "" : hosts.get(0);
        if (!host.isEmpty()) {
            RequestTarget.checkAuthority(host);
        }
        return host;
    }

    private static boolean isDigits(String value) {
        if (value.isEmpty() || value.length() > 18) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
