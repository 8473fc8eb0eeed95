package io.portcullis.parsers.http2;

/**
 * What the proxy needs of an HTTP/2 request header block that passed {@link Http2RequestValidator}.
 *
 * @param method      {@code :method}
 * @param scheme      {@code :scheme} ({@code http} or {@code https})
 * @param path        normalised path plus the untouched query: forwarded as {@code :path} and
 *                    matched by policy
 * @param authority   {@code :authority}, else the Host header, else ""
 * @param contentType the content-type field, or null
 * @param endStream   whether the header block ended the request (no body)
 * @param protocol    {@code :protocol} of an extended CONNECT (RFC 8441), always {@code websocket}; null otherwise
 */
public record ValidatedHttp2Request(String method, String scheme, String path, String authority, String contentType,
                                   boolean endStream, String protocol) {

    /** A WebSocket opened over this stream (RFC 8441): once answered 2xx, the stream carries its bytes. */
    public boolean isWebSocket() {
        return protocol != null;
    }

    /**
     * gRPC is recognised by its content type: {@code application/grpc} alone or with a
     * {@code +codec} or {@code ;parameters} suffix (gRPC over HTTP/2 spec).
     */
    public boolean isGrpc() {
        if (contentType == null || !contentType.regionMatches(true, 0, "application/grpc", 0, 16)) {
            return false;
        }
        if (contentType.length() == 16) {
            return true;
        }
        char next = contentType.charAt(16);
        return next == '+' || next == ';';
    }
}
