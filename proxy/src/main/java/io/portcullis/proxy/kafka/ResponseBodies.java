package io.portcullis.proxy.kafka;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;

/** Reads the few broker responses the proxy looks into, with kafka-clients' generated classes. */
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
}
