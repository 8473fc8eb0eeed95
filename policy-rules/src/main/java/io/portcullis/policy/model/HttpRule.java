package io.portcullis.policy.model;

import io.portcullis.policy.http.HttpRequestView;
import java.util.List;
import java.util.Objects;

/**
 * One {@code rules.http} item. Every field written must hold (AND); an empty rule {@code {}}
 * allows every request. Regexes match the whole method, path (with query) or host.
 */
public final class HttpRule implements HttpRequestMatcher {
    private final String path;
    private final WholeValueRegex method;
    private final WholeValueRegex requestPath;
    private final WholeValueRegex host;
    private final HeaderRequirement[] headers;
    private final HeaderMatch[] headerMatches;
    private final boolean hasMismatchActions;

    /** Null regexes mean "any". */
    public HttpRule(String path, WholeValueRegex method, WholeValueRegex requestPath, WholeValueRegex host,
                    List<HeaderRequirement> headers, List<HeaderMatch> headerMatches) {
        this.path = Objects.requireNonNull(path, "path");
        this.method = method;
        this.requestPath = requestPath;
        this.host = host;
        this.headers = headers.toArray(new HeaderRequirement[0]);
        this.headerMatches = headerMatches.toArray(new HeaderMatch[0]);
        boolean actions = false;
        for (HeaderMatch match : this.headerMatches) {
            actions |= match.mismatch() != null;
        }
        this.hasMismatchActions = actions;
    }

    @Override
    public String path() {
        return path;
    }

    public WholeValueRegex method() {
        return method;
    }

    public WholeValueRegex requestPath() {
        return requestPath;
    }

    public WholeValueRegex host() {
        return host;
    }

    public List<HeaderRequirement> headers() {
        return List.of(headers);
    }

    public List<HeaderMatch> headerMatches() {
        return List.of(headerMatches);
    }

    @Override
    public boolean hasMismatchActions() {
        return hasMismatchActions;
    }

    @Override
    public boolean matches(HttpRequestView request) {
        if (method != null && !method.matches(request.method())) {
            return false;
        }
        if (requestPath != null && !requestPath.matches(request.path())) {
            return false;
        }
        if (host != null && !host.matches(request.host())) {
            return false;
        }
        for (HeaderRequirement header : headers) {
            if (!header.matches(request)) {
                return false;
            }
        }
        for (HeaderMatch match : headerMatches) {
            if (match.mismatch() == null && !match.matches(request)) {
                return false;
            }
        }
        return true;
    }

    /** Adds the action of every {@code headerMatches} entry with a mismatch action that mismatches. */
    @Override
    public void collectHeaderActions(HttpRequestView request, List<HeaderAction> out) {
        for (HeaderMatch match : headerMatches) {
            if (match.mismatch() != null && !match.matches(request)) {
                out.add(match.action());
            }
        }
    }

    /** The rule as a short text: {@code GET /public/.* host=... headers=[...]}, or {@code any request}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        append(out, "method", method);
        append(out, "path", requestPath);
        append(out, "host", host);
        if (headers.length > 0) {
            out.append(out.length() == 0 ? "" : " ").append("headers=").append(List.of(headers));
        }
        if (headerMatches.length > 0) {
            out.append(out.length() == 0 ? "" : " ").append("headerMatches=").append(List.of(headerMatches));
        }
        return out.length() == 0 ? "any request" : out.toString();
    }

    private static void append(StringBuilder out, String field, WholeValueRegex regex) {
        if (regex != null) {
            out.append(out.length() == 0 ? "" : " ").append(field).append('=').append(regex);
        }
    }
}
