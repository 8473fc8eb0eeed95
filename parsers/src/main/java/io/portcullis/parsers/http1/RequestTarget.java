package io.portcullis.parsers.http1;

import java.util.Locale;

/**
 * A parsed and normalised request-target (RFC 9112 §3.2). Origin-form ({@code /p?q}) and
 * absolute-form ({@code http://host/p?q}, whose authority then replaces the Host header) are
 * accepted, and asterisk-form for OPTIONS. Authority-form (CONNECT) is refused: the proxy does
 * not tunnel. Userinfo in an absolute-form authority and fragments are refused.
 *
 * @param path      normalised path (see {@link PathNormalizer})
 * @param query     the query string exactly as received, without '?', or null
 * @param authority the authority of an absolute-form target, or null
 */
public record RequestTarget(String path, String query, String authority) {

    /** What goes upstream and into the policy: normalised path plus untouched query. */
    public String pathAndQuery() {
        return query == null ? path : path + '?' + query;
    }

    public static RequestTarget parse(String method, String target) {
        if (target.isEmpty()) {
            throw BadRequestException.badRequest("empty request target");
        }
        checkCharacters(target);
        if (target.equals("*")) {
            if (!method.equals("OPTIONS")) {
                throw BadRequestException.badRequest("asterisk-form target is only valid for OPTIONS");
            }
            return new RequestTarget("*", null, null);
        }
        if (method.equals("CONNECT")) {
            throw BadRequestException.badRequest("CONNECT is not supported");
        }
        String authority = null;
        String rest = target;
        if (target.charAt(0) != '/') {
            int schemeEnd = target.indexOf("://");
            String scheme = schemeEnd < 0 ? "" : target.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw BadRequestException.badRequest("invalid request target");
            }
            int authorityEnd = indexOfAny(target, schemeEnd + 3);
            authority = target.substring(schemeEnd + 3, authorityEnd);
            checkAuthority(authority);
            rest = authorityEnd == target.length() ? "/" : target.substring(authorityEnd);
            if (rest.charAt(0) == '?') {
                rest = "/" + rest;
            }
        }
        int q = rest.indexOf('?');
        String rawPath = q < 0 ? rest : rest.substring(0, q);
        String query = q < 0 ? null : rest.substring(q + 1);
        if (rest.indexOf('[') >= 0 || rest.indexOf(']') >= 0) {
            throw BadRequestException.badRequest("invalid character in request target");
        }
        return new RequestTarget(PathNormalizer.normalize(rawPath), query, authority);
    }

    /** Validates a Host header value or an absolute-form authority: host[:port], no userinfo. */
    public static void checkAuthority(String authority) {
        if (authority.isEmpty()) {
            throw BadRequestException.badRequest("empty authority");
        }
        for (int i = 0; i < authority.length(); i++) {
            char c = authority.charAt(i);
            if (c == '@') {
                throw BadRequestException.badRequest("userinfo in authority");
            }
            if (!HttpSyntax.isAuthorityChar(c) && c != '%') {
                throw BadRequestException.badRequest("invalid character in host");
            }
        }
    }

    private static int indexOfAny(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '/' || c == '?') {
                return i;
            }
        }
        return s.length();
    }

    private static void checkCharacters(String target) {
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c == '%') {
                if (i + 2 >= target.length() || HttpSyntax.hexValue(target.charAt(i + 1)) < 0
                        || HttpSyntax.hexValue(target.charAt(i + 2)) < 0) {
                    throw BadRequestException.badRequest("malformed percent-escape in request target");
                }
            } else if (c == '\\') {
                throw BadRequestException.badRequest("backslash in request target");
            } else if (!HttpSyntax.isTargetChar(c) && c != '*' && c != '[' && c != ']') {
                throw BadRequestException.badRequest("invalid character in request target");
            }
        }
    }
}
