package io.portcullis.parsers.http1;

/**
 * What the proxy needs of a request head that passed {@link Http1RequestValidator}.
 *
 * @param method          the method token, case preserved
 * @param target          parsed, normalised target
 * @param host            authority of an absolute-form target, else the Host header ("" if none)
 * @param protocol        {@code HTTP/1.1} or {@code HTTP/1.0}
 * @param keepAlive       whether the client wants the connection kept after this exchange
 * @param expectsContinue whether the client waits for {@code 100 Continue} before its body
 */
public record ValidatedRequest(String method, RequestTarget target, String host, String protocol,
                               boolean keepAlive, boolean expectsContinue) {

    /** The normalised path plus the untouched query: forwarded upstream and matched by policy. */
    public String url() {
        return target.pathAndQuery();
    }
}
