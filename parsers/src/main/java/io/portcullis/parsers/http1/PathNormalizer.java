package io.portcullis.parsers.http1;

import java.util.ArrayList;
import java.util.List;

/**
 * Normalises the path of a request target so that policy matches and the upstream sees the same
 * resource name. Applied to the path only; the query string is never touched.
 *
 * <ol>
 *   <li>Percent-escapes are decoded once when they stand for an unreserved character
 *       ({@code %2e} → {@code .}, {@code %41} → {@code A}); other escapes stay encoded with
 *       upper-case hex ({@code %3f} → {@code %3F}). Decoding once means {@code %252e} stays
 *       {@code %252e}: no double decoding.</li>
 *   <li>Rejected (400): {@code %2F} and {@code %5C} in either case (an encoded separator means
 *       different paths to different servers), a literal backslash, {@code %00}, a malformed
 *       escape.</li>
 *   <li>Repeated slashes are merged; dot segments ({@code .}, {@code ..}, also decoded from
 *       {@code %2e}) are resolved as RFC 3986 remove_dot_segments: {@code ..} above the root
 *       stays at the root.</li>
 *   <li>{@code ;params} stay part of their segment ({@code /a;v=1/b} is unchanged): servers
 *       disagree on their meaning, and keeping them makes a policy on {@code /a/b} not match
 *       (fail closed). A dot segment with parameters ({@code ..;x}, {@code .;x}) is rejected,
 *       because servers such as Tomcat resolve it as a dot segment and it would otherwise
 *       escape the path the policy saw.</li>
 * </ol>
 */
public final class PathNormalizer {
    private PathNormalizer() {
    }

    /**
     * @param path a path starting with '/', without query, already restricted to request-target
     *             characters
     */
    public static String normalize(String path) {
        if (path.isEmpty() || path.charAt(0) != '/') {
            throw BadRequestException.badRequest("path must start with '/'");
        }
        String decoded = decodeUnreserved(path);
        List<String> segments = new ArrayList<>();
        boolean trailingSlash = false;
        int i = 1;
        while (i <= decoded.length()) {
            int slash = decoded.indexOf('/', i);
            int end = slash < 0 ? decoded.length() : slash;
            String segment = decoded.substring(i, end);
            boolean last = slash < 0;
            if (segment.equals("..")) {
                if (!segments.isEmpty()) {
                    segments.remove(segments.size() - 1);
                }
                trailingSlash = true;
            } else if (segment.isEmpty() || segment.equals(".")) {
                trailingSlash = true;
            } else {
                if (segment.startsWith(".;") || segment.startsWith("..;")) {
                    throw BadRequestException.badRequest("dot segment with parameters in path");
                }
                segments.add(segment);
                trailingSlash = false;
            }
            if (last) {
                break;
            }
            i = end + 1;
        }
        StringBuilder out = new StringBuilder(decoded.length());
        for (String segment : segments) {
            out.append('/').append(segment);
        }
        if (out.length() == 0 || trailingSlash) {
            out.append('/');
        }
        return out.toString();
    }

    private static String decodeUnreserved(String path) {
        StringBuilder out = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\\') {
                throw BadRequestException.badRequest("backslash in path");
            }
            if (c != '%') {
                out.append(c);
                continue;
            }
            int hi = i + 2 < path.length() ? HttpSyntax.hexValue(path.charAt(i + 1)) : -1;
            int lo = hi >= 0 ? HttpSyntax.hexValue(path.charAt(i + 2)) : -1;
            if (lo < 0) {
                throw BadRequestException.badRequest("malformed percent-escape in path");
            }
            int value = hi * 16 + lo;
            if (value == '/' || value == '\\') {
                throw BadRequestException.badRequest("encoded slash or backslash in path");
            }
            if (value == 0) {
                throw BadRequestException.badRequest("encoded NUL in path");
            }
            if (HttpSyntax.isUnreserved(value)) {
                out.append((char) value);
            } else {
                out.append('%').append(Character.toUpperCase(path.charAt(i + 1))).append(Character.toUpperCase(path.charAt(i + 2)));
            }
            i += 2;
        }
        return out.toString();
    }
}
