package io.portcullis.proxy.kafka;

import io.netty.buffer.ByteBuf;

/**
 * A piece of one broker response, in stream order. The first piece of a response starts with its
 * size prefix and correlation id; the pieces of a response, concatenated, are its exact wire
 * bytes. The receiver owns {@code bytes}.
 *
 * @param correlationId the response's correlation id (repeated on every piece)
 * @param first         this piece starts the response
 * @param last          this piece ends it
 * @param size          the response's size prefix (bytes after the prefix)
 */
record ResponsePart(int correlationId, ByteBuf bytes, boolean first, boolean last, int size) {
}
