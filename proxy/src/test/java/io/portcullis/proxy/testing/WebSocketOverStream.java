package io.portcullis.proxy.testing;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * WebSocket over one HTTP/2 stream (RFC 8441): Netty's RFC 6455 frame codec on the stream's DATA,
 * for the test client and the test server on either side of the proxy.
 */
public final class WebSocketOverStream {
    private static final int MAX_FRAME = 4 << 20;

    private WebSocketOverStream() {
    }

    /** After the 2xx: {@code application} reads and writes WebSocket frames on {@code stream}. */
    public static void install(Channel stream, boolean client, ChannelHandler application) {
        stream.pipeline().addLast(new StreamBytes(), new WebSocket13FrameDecoder(!client, false, MAX_FRAME),
                new WebSocket13FrameEncoder(client), application);
    }

    /** DATA in as bytes, bytes out as DATA: what the frame codec reads and writes. */
    private static final class StreamBytes extends ChannelDuplexHandler {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Http2DataFrame data) {
                ctx.fireChannelRead(data.content());
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            ctx.write(msg instanceof ByteBuf bytes ? new DefaultHttp2DataFrame(bytes) : msg, promise);
        }
    }
}
