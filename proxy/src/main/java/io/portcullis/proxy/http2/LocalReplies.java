package io.portcullis.proxy.http2;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.portcullis.proxy.grpc.GrpcStatus;

import java.nio.charset.StandardCharsets;

/**
 * Answers the proxy makes itself on a stream: the deny ({@code 403 Access denied}, or for gRPC a
 * trailers-only {@code grpc-status: 7}) and the errors. Each is a complete response ending the
 * stream from our side.
 */
final class LocalReplies {
    static final String DENIED_BODY = "Access denied\r\n";
    static final String DENIED_GRPC_MESSAGE = "Access denied";

    private LocalReplies() {
    }

    static ChannelFuture denied(Channel stream, boolean grpc, boolean head) {
        if (grpc) {
            return stream.writeAndFlush(new DefaultHttp2HeadersFrame(
                    GrpcStatus.trailersOnly(GrpcStatus.PERMISSION_DENIED, DENIED_GRPC_MESSAGE), true));
        }
        return plain(stream, HttpResponseStatus.FORBIDDEN, DENIED_BODY, head);
    }

    /** An error answer: {@code httpStatus} with its reason phrase, or for gRPC {@code grpcStatus}. */
    static ChannelFuture error(Channel stream, boolean grpc, int httpStatus, int grpcStatus, String grpcMessage) {
        if (grpc) {
            return stream.writeAndFlush(new DefaultHttp2HeadersFrame(
                    GrpcStatus.trailersOnly(grpcStatus, grpcMessage), true));
        }
        HttpResponseStatus status = HttpResponseStatus.valueOf(httpStatus);
        return plain(stream, status, status.reasonPhrase() + "\r\n", false);
    }

    private static ChannelFuture plain(Channel stream, HttpResponseStatus status, String body, boolean head) {
        byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
        Http2Headers headers = new DefaultHttp2Headers().status(status.codeAsText())
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        if (head) {
            return stream.writeAndFlush(new DefaultHttp2HeadersFrame(headers, true));
        }
        stream.write(new DefaultHttp2HeadersFrame(headers, false));
        return stream.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(bytes), true));
    }
}
