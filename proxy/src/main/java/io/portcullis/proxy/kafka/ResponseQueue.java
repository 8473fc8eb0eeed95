package io.portcullis.proxy.kafka;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

import java.util.ArrayDeque;

/**
 * The responses of one connection in request order. Kafka clients pipeline (up to five requests
 * in flight by default) and match responses to requests by correlation id, but the protocol
 * promises responses in request order and clients rely on it; so a deny cannot be sent the moment
 * it is decided. Each request that expects a response takes a {@link Slot}: forwarded slots are
 * filled by the broker, which answers in order on a connection; denied slots are ready at once.
 * Ready slots are sent from the head; a broker response must belong to the first slot that waits
 * for the broker, with the correlation id of its request, or the stream is out of step and the
 * proxy closes both connections (it can no longer tell which response answers which request).
 *
 * <p>Streaming responses are written piece by piece while their slot is at the head; since denied
 * slots are flushed as soon as they reach the head, a broker response always finds its slot there.
 */
final class ResponseQueue {
    /** Where responses go, and how collected ones are turned into what the client gets. */
    interface Sink {
        /** Writes (without flushing) bytes to the client; takes ownership. */
        void write(ByteBuf bytes);

        /**
         * The complete broker response of a collecting slot; returns what the client gets (the
         * same buffer, a rewrite, or the deny built from it). Takes ownership of {@code response}.
         */
        ByteBuf complete(Slot slot, ByteBuf response);

        /** The slot's response has been written in full. */
        void sent(Slot slot);
    }

    /** The broker's responses do not match the requests sent to it. */
    static final class OutOfStep extends Exception {
        OutOfStep(String message) {
            super(message, null, false, false);
        }
    }

    private final ArrayDeque<Slot> slots = new ArrayDeque<>();
    private final Sink sink;
    private final ByteBufAllocator alloc;
    private final int maxCollectedBytes;
    private Slot receiving;
    private CompositeByteBuf collected;

    ResponseQueue(Sink sink, ByteBufAllocator alloc, int maxCollectedBytes) {
        this.sink = sink;
        this.alloc = alloc;
        this.maxCollectedBytes = maxCollectedBytes;
    }

    int size() {
        return slots.size();
    }

    boolean isEmpty() {
        return slots.isEmpty();
    }

    /** Appends a slot in request order; a ready slot at the head is sent at once. */
    void add(Slot slot) {
        slots.add(slot);
        flush();
    }

    /** Handles one piece of a broker response; takes ownership of its bytes. */
    void onPart(ResponsePart part) throws OutOfStep {
        if (part.first()) {
            flush();
            Slot head = slots.peek();
            if (head == null || !head.kind.upstream) {
                part.bytes().release();
                throw new OutOfStep("broker sent a response (correlation id " + part.correlationId()
                        + ") to no request");
            }
            if (head.correlationId != part.correlationId()) {
                part.bytes().release();
                throw new OutOfStep("broker response has correlation id " + part.correlationId() + ", expected "
                        + head.correlationId);
            }
            receiving = head;
            if (head.kind.collects) {
                if (part.size() > maxCollectedBytes) {
                    part.bytes().release();
                    throw new OutOfStep(head.kafka.apiKey() + " response of " + part.size()
                            + " bytes exceeds the limit of " + maxCollectedBytes
                            + " bytes for responses the proxy reads (kafka.maxReadResponseBytes)");
                }
                collected = alloc.compositeBuffer(Integer.MAX_VALUE);
            }
        }
        Slot slot = receiving;
        if (slot.kind.collects) {
            collected.addComponent(true, part.bytes());
        } else {
            sink.write(part.bytes());
        }
        if (part.last()) {
            receiving = null;
            slots.poll();
            if (slot.kind.collects) {
                ByteBuf whole = collected;
                collected = null;
                sink.write(sink.complete(slot, whole));
            }
            sink.sent(slot);
            flush();
        }
    }

    private void flush() {
        for (Slot head; (head = slots.peek()) != null && !head.kind.upstream; ) {
            slots.poll();
            ByteBuf response = head.response;
            head.response = null;
            sink.write(response);
            sink.sent(head);
        }
    }

    /** Drops everything (the connection is closing). */
    void releaseAll() {
        for (Slot slot; (slot = slots.poll()) != null; ) {
            slot.release();
        }
        if (collected != null) {
            collected.release();
            collected = null;
        }
        receiving = null;
    }
}
