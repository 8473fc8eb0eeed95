package io.portcullis.proxy.http1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;

/** Responses the proxy makes itself: the deny and the errors. */
final class LocalResponses {
    static final String DENIED_BODY = "Access denied\r\n";

    private LocalResponses() {
    }

    /** {@code 403}, body {@code Access denied\r\n} (not sent for HEAD, length still announced). */
    static FullHttpResponse denied(boolean head, boolean close) {
        return make(HttpResponseStatus.FORBIDDEN, DENIED_BODY, head, close);
    }

    /** An error answer; the connection always closes after it. */
    static FullHttpResponse error(int status) {
        HttpResponseStatus s = HttpResponseStatus.valueOf(status);
        return make(s, s.reasonPhrase() + "\r\n", false, true);
    }

    private static FullHttpResponse make(HttpResponseStatus status, String body, boolean head, boolean close) {
        byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
        ByteBuf content = head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        if (close) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return response;
    }
}
