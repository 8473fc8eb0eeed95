package io.portcullis.parsers.kafka;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

/** Writes response frames the way a broker does, for the responses the proxy makes or rewrites. */
public final class KafkaResponseFrames {
    private KafkaResponseFrames() {
    }

    /**
     * A complete response frame: size prefix, the response header version {@code version} of
     * {@code api} calls for with {@code correlationId}, then {@code body}.
     */
    public static ByteBuf frame(ApiKeys api, short version, int correlationId, ApiMessage body) {
        short headerVersion = api.responseHeaderVersion(version);
        ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(correlationId);
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = header.size(cache, headerVersion) + body.size(cache, version);
        ByteBuffer buffer = ByteBuffer.allocate(KafkaRequestFrame.SIZE_PREFIX_BYTES + size);
        buffer.putInt(size);
        ByteBufferAccessor writer = new ByteBufferAccessor(buffer);
        header.write(writer, cache, headerVersion);
        body.write(writer, cache, version);
        buffer.flip();
        return Unpooled.wrappedBuffer(buffer);
    }
}
