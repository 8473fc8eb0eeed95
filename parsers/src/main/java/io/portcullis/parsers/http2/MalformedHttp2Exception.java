package io.portcullis.parsers.http2;

/**
 * A malformed HTTP/2 request or trailer block (RFC 9113 §8.1.1): the stream is reset with
 * {@code PROTOCOL_ERROR} and nothing of it is forwarded. The message is a short reason for the
 * access log.
 */
public final class MalformedHttp2Exception extends RuntimeException {
    public MalformedHttp2Exception(String reason) {
        super(reason, null, false, false);
    }

    public String reason() {
        return getMessage();
    }
}
