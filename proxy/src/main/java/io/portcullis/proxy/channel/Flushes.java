package io.portcullis.proxy.channel;

import io.netty.handler.flush.FlushConsolidationHandler;

/**
 * Flush policy of every proxy channel. A relay writes to one channel while reading the other, so
 * each message would otherwise cost its own write syscall; consolidating flushes until the event
 * loop finishes the current batch sends a response head and body (or several pipelined
 * responses) in one write.
 */
public final class Flushes {
    private static final int MAX_PENDING_FLUSHES = 256;

    private Flushes() {
    }

    public static FlushConsolidationHandler consolidating() {
        return new FlushConsolidationHandler(MAX_PENDING_FLUSHES, true);
    }
}
