package io.portcullis.proxy.kafka;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;

/**
 * Cuts the broker's byte stream into {@link ResponsePart}s without aggregating: only the 8 bytes of
 * size prefix and correlation id are needed to know which request a response answers, and the rest
 * passes through as slices of the buffers read (no copy), so a 50 MB Fetch response never sits in
 * the proxy whole. A size below 4 (no room for the correlation id) is a broken stream: the handler
 * raises a {@link DecoderException} and the connection is closed.
 */
final class ResponseFramer extends ChannelInboundHandlerAdapter {
    private static final int HEAD_BYTES = 8;

    /** Bytes of a response head split across reads (rare); null when none is pending. */
    private ByteBuf head;
    private int correlationId;
    private int size;
    private int remaining;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        ByteBuf in = (ByteBuf) msg;
        try {
            while (in.isReadable()) {
                if (remaining > 0) {
                    int n = Math.min(remaining, in.readableBytes());
                    remaining -= n;
                    ctx.fireChannelRead(new ResponsePart(correlationId, in.readRetainedSlice(n), false, remaining == 0,
                            size));
                } else if (head == null && in.readableBytes() >= HEAD_BYTES) {
                    start(in.getInt(in.readerIndex()), in.getInt(in.readerIndex() + 4));
                    int n = Math.min(HEAD_BYTES + remaining, in.readableBytes());
                    remaining -= n - HEAD_BYTES;
                    ctx.fireChannelRead(new ResponsePart(correlationId, in.readRetainedSlice(n), true, remaining == 0,
                            size));
                } else {
                    if (head == null) {
                        head = ctx.alloc().buffer(HEAD_BYTES);
                    }
                    in.readBytes(head, Math.min(HEAD_BYTES - head.readableBytes(), in.readableBytes()));
                    if (head.readableBytes() == HEAD_BYTES) {
                        ByteBuf complete = head;
                        head = null;
                        start(complete.getInt(0), complete.getInt(4));
                        ctx.fireChannelRead(new ResponsePart(correlationId, complete, true, remaining == 0, size));
                    }
                }
            }
        } finally {
            in.release();
        }
    }

    private void start(int frameSize, int correlation) {
        if (frameSize < 4) {
            throw new DecoderException("broker response of " + frameSize + " bytes has no correlation id");
        }
        size = frameSize;
        correlationId = correlation;
        remaining = frameSize - 4;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (head != null) {
            head.release();
            head = null;
        }
    }
}
