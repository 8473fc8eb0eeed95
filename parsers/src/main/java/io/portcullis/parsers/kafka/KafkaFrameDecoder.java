package io.portcullis.parsers.kafka;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits a client's byte stream into {@link KafkaRequestFrame}s: a 4-byte big-endian size, then
 * that many bytes of request header and body. Only the header is parsed here; the body stays
 * opaque until someone asks for it (see {@link KafkaRequestFrame#topics()}).
 *
 * <p>The size is checked as soon as its 4 bytes arrive, so an oversized or negative frame is
 * refused before anything is buffered for it. After the first {@link KafkaProtocolException} the
 * decoder discards everything else on the connection: the proxy is expected to close it, and bytes
 * after a broken frame can never be trusted to start a new one.
 */
public final class KafkaFrameDecoder extends ByteToMessageDecoder {
    /** The broker's default {@code socket.request.max.bytes}. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 100 * 1024 * 1024;

    private final int maxFrameBytes;
    private boolean failed;

    public KafkaFrameDecoder() {
        this(DEFAULT_MAX_FRAME_BYTES);
    }

    /** @param maxFrameBytes largest accepted frame, size prefix excluded (as the broker counts it) */
    public KafkaFrameDecoder(int maxFrameBytes) {
        if (maxFrameBytes < KafkaRequestFrame.MIN_HEADER_BYTES) {
            throw new IllegalArgumentException("maxFrameBytes too small: " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < KafkaRequestFrame.SIZE_PREFIX_BYTES) {
            return;
        }
        int size = in.getInt(in.readerIndex());
        try {
            checkSize(size);
        } catch (KafkaProtocolException e) {
            fail(in);
            throw e;
        }
        if (in.readableBytes() < KafkaRequestFrame.SIZE_PREFIX_BYTES + size) {
            return;
        }
        ByteBuf frame = in.readRetainedSlice(KafkaRequestFrame.SIZE_PREFIX_BYTES + size);
        try {
            out.add(KafkaRequestFrame.parse(frame));
        } catch (RuntimeException e) {
            frame.release();
            fail(in);
            throw e;
        }
    }

    private void checkSize(int size) {
        if (size < 0) {
            throw new KafkaProtocolException("negative Kafka frame size " + size);
        }
        if (size > maxFrameBytes) {
            throw new KafkaProtocolException(
                    "Kafka frame of " + size + " bytes exceeds the limit of " + maxFrameBytes + " bytes");
        }
        if (size < KafkaRequestFrame.MIN_HEADER_BYTES) {
            throw new KafkaProtocolException("Kafka frame of " + size + " bytes is shorter than a request header");
        }
    }

    private void fail(ByteBuf in) {
        failed = true;
        in.skipBytes(in.readableBytes());
    }
}
