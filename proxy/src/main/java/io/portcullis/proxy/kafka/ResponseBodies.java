package io.portcullis.proxy.kafka;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

/** Reads and writes the few broker responses the proxy looks into, with kafka-clients' generated classes. */
final class ResponseBodies {
    private ResponseBodies() {
    }

    /**
     * A reader positioned at the body of a complete response frame (size prefix included).
     *
     * @throws RuntimeException the header does not parse
     */
    static ByteBufferAccessor body(ByteBuf frame, ApiKeys api, short version) {
        ByteBuffer buffer = frame.nioBuffer(frame.readerIndex() + 4, frame.readableBytes() - 4);
        ByteBufferAccessor reader = new ByteBufferAccessor(buffer);
        new ResponseHeaderData(reader, api.responseHeaderVersion(version));
        return reader;
    }

    /** A complete response frame: size prefix, header with {@code correlationId}, {@code body}. */
    static ByteBuf frame(ApiKeys api, short version, int correlationId, ApiMessage body) {
        short headerVersion = api.responseHeaderVersion(version);
        ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(correlationId);
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = header.size(cache, headerVersion) + body.size(cache, version);
        ByteBuffer buffer = ByteBuffer.allocate(4 + size);
        buffer.putInt(size);
        ByteBufferAccessor writer = new ByteBufferAccessor(buffer);
        header.write(writer, cache, headerVersion);
        body.write(writer, cache, version);
        buffer.flip();
        return Unpooled.wrappedBuffer(buffer);
    }
}
