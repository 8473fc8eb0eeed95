package io.portcullis.api;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * The wire form in a Netty pipeline: frames of one line, each read as {@code type}; written
 * messages become lines. A line longer than its limit, or one that does not parse, fails the
 * pipeline with an exception naming the problem (the handler after it decides to close).
 */
public final class JsonLines {
    private static final String API_PACKAGE = JsonLines.class.getPackageName();
    private JsonLines() {
    }

    /** Adds the framing, the decoder for {@code type} and the encoder to {@code pipeline}. */
    public static <T> void install(ChannelPipeline pipeline, Class<T> type, int maxLineBytes) {
        pipeline.addLast("json-frames", new LineBasedFrameDecoder(maxLineBytes, true, true))
                .addLast("json-decoder", new Decoder<>(type))
                .addLast("json-encoder", new Encoder());
    }

    private static final class Decoder<T> extends MessageToMessageDecoder<ByteBuf> {
        private final Class<T> type;

        Decoder(Class<T> type) {
            this.type = type;
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf line, List<Object> out) throws Exception {
            byte[] bytes = new byte[line.readableBytes()];
            line.readBytes(bytes);
            out.add(WireJson.read(bytes, type));
        }
    }

    @ChannelHandler.Sharable
    private static final class Encoder extends MessageToMessageEncoder<Object> {
        /** Messages of this package's types only: bytes and file descriptors pass through as they are. */
        @Override
        public boolean acceptOutboundMessage(Object msg) {
            return msg.getClass().getPackageName().startsWith(API_PACKAGE);
        }

        @Override
        protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) {
            out.add(Unpooled.wrappedBuffer(WireJson.line(msg)));
        }
    }
}
