package io.portcullis.proxy.grpc;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;

import java.nio.charset.StandardCharsets;

/**
 * gRPC status on the wire: the trailers-only responses the proxy makes itself and the status
 * read back from an upstream's trailers.
 */
public final class GrpcStatus {
    public static final int OK = 0;
    public static final int INTERNAL = 13;
    public static final int PERMISSION_DENIED = 7;
    public static final int UNAVAILABLE = 14;
    public static final AsciiString GRPC_STATUS = AsciiString.cached("grpc-status");
    public static final AsciiString GRPC_MESSAGE = AsciiString.cached("grpc-message");
    private static final AsciiString APPLICATION_GRPC = AsciiString.cached("application/grpc");
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private GrpcStatus() {
    }

    /**
     * A trailers-only response (one HEADERS frame, sent with END_STREAM): {@code :status 200},
     * {@code content-type: application/grpc}, {@code grpc-status} and the percent-encoded
     * {@code grpc-message}. gRPC clients read the status from it; an HTTP status other than 200
     * would be reported as a transport error instead.
     */
    public static Http2Headers trailersOnly(int status, String message) {
        return new DefaultHttp2Headers().status("200")
                .set(io.netty.handler.codec.http.HttpHeaderNames.CONTENT_TYPE, APPLICATION_GRPC)
                .setInt(GRPC_STATUS, status)
                .set(GRPC_MESSAGE, percentEncode(message));
    }

    /** The {@code grpc-status} of a trailer block, or null when absent or not a number. */
    public static Integer of(Http2Headers trailers) {
        CharSequence value = trailers.get(GRPC_STATUS);
        if (value == null) {
            return null;
        }
        try {
            return Integer.parseInt(value.toString());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The gRPC spec's encoding of {@code grpc-message}: UTF-8, then every byte outside
     * {@code 0x20..0x7E}, and {@code %} itself, as {@code %XX}.
     */
    public static String percentEncode(String message) {
        byte[] utf8 = message.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(utf8.length);
        for (byte b : utf8) {
            int c = b & 0xff;
            if (c >= 0x20 && c <= 0x7e && c != '%') {
                out.append((char) c);
            } else {
                out.append('%').append((char) HEX[c >> 4]).append((char) HEX[c & 0xf]);
            }
        }
        return out.toString();
    }
}
