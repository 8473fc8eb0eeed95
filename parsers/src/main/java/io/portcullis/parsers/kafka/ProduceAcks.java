package io.portcullis.parsers.kafka;

import java.nio.ByteBuffer;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;

/**
 * Reads {@code acks} from the front of a Produce body. Whether a response will come must be known
 * for every Produce, including those no rule looks into, so this skips the one field before acks
 * ({@code transactional_id}) instead of decoding the records.
 */
final class ProduceAcks {
    private ProduceAcks() {
    }

    static short read(ByteBuffer body, short version) {
        try {
            ByteBufferAccessor reader = new ByteBufferAccessor(body);
            // Flexible versions (those with request header v2) use a compact string: varint length + 1.
            boolean flexible = ApiKeys.PRODUCE.requestHeaderVersion(version) >= 2;
            int transactionalIdLength = flexible ? reader.readUnsignedVarint() - 1 : reader.readShort();
            // Any negative length is a null transactional_id to the broker's reader, not only -1.
            if (transactionalIdLength > 0) {
                body.position(body.position() + transactionalIdLength);
            }
            return reader.readShort();
        } catch (RuntimeException e) {
            throw new KafkaProtocolException("Produce v" + version + " body too short to hold acks", e);
        }
    }
}
