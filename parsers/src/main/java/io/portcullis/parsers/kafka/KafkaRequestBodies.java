package io.portcullis.parsers.kafka;

import java.nio.ByteBuffer;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * Parses request bodies with kafka-clients' generated readers. Those readers check every array and
 * string length against the bytes that remain before allocating, so a hostile count in a small
 * frame fails fast instead of allocating; what they do not check is bytes left over after the
 * message, which a broker ignores but a policy decision must not (they could be read differently
 * by another parser).
 */
final class KafkaRequestBodies {
    private KafkaRequestBodies() {
    }

    static AbstractRequest parse(RequestHeader header, ByteBuffer body) {
        String what = header.apiKey().name + " v" + header.apiVersion();
        ByteBufferAccessor reader = new ByteBufferAccessor(body);
        AbstractRequest request;
        try {
            request = AbstractRequest.parseRequest(header.apiKey(), header.apiVersion(), reader).request;
        } catch (RuntimeException e) {
            throw new KafkaProtocolException("malformed " + what + " request body", e);
        }
        if (reader.remaining() != 0) {
            throw new KafkaProtocolException(reader.remaining() + " unexpected bytes after the " + what + " request body");
        }
        return request;
    }
}
