package io.portcullis.proxy.kafka;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.portcullis.parsers.kafka.KafkaRequestFrame;
import java.nio.ByteBuffer;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.requests.FetchMetadata;

/**
 * Keeps Fetch requests judgeable under topic rules by keeping fetch sessions (KIP-227) from
 * starting. In a session, incremental fetches list only the partitions that changed, while the
 * broker serves all the session's partitions: their topics are invisible to the proxy. A Fetch
 * that would create or continue a session is rewritten to a sessionless one (session id 0, epoch
 * -1); the broker answers with session id 0, so the Java client and librdkafka go on sending full
 * fetches, each of which names every topic it reads. The cost is a slightly larger request per
 * fetch; responses are unchanged in form.
 */
final class SessionlessFetch {
    private SessionlessFetch() {
    }

    /** The frame to forward instead of {@code frame}, or null when it is sessionless already. */
    static ByteBuf rewrite(KafkaRequestFrame frame) {
        FetchRequestData data = (FetchRequestData) frame.request().data();
        if (data.sessionId() == FetchMetadata.INVALID_SESSION_ID && data.sessionEpoch() == FetchMetadata.FINAL_EPOCH) {
            return null;
        }
        data.setSessionId(FetchMetadata.INVALID_SESSION_ID).setSessionEpoch(FetchMetadata.FINAL_EPOCH);
        // Forgotten topics only make sense inside a session.
        data.forgottenTopicsData().clear();
        short version = frame.apiVersion();
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int bodySize = data.size(cache, version);
        ByteBuffer body = ByteBuffer.allocate(bodySize);
        data.write(new ByteBufferAccessor(body), cache, version);
        body.flip();
        ByteBuf wire = frame.content();
        int headerLength = frame.headerLength();
        ByteBuf prefix = Unpooled.buffer(4 + headerLength);
        prefix.writeInt(headerLength + bodySize);
        prefix.writeBytes(wire, wire.readerIndex() + 4, headerLength);
        return Unpooled.wrappedBuffer(prefix, Unpooled.wrappedBuffer(body));
    }
}
