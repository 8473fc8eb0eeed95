package io.portcullis.proxy.kafka;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * Requests the proxy sends the broker in place of a denied one, under the denied request's
 * correlation id and version, so that the client still gets an answer it can act on (see
 * {@link MetadataBrokers} and {@link Slot.Kind#DENIED_API_VERSIONS}). The denied request's bytes
 * never reach the broker.
 */
final class OwnRequests {
    private OwnRequests() {
    }

    /** A Metadata request asking only for the brokers (an empty topic list). */
    static ByteBuf brokersOnlyMetadata(short version, String clientId, int correlationId) {
        return frame(new MetadataRequest.Builder(new MetadataRequestData()
                .setTopics(List.of()).setAllowAutoTopicCreation(false)).build(version), clientId, correlationId);
    }

    /** An ApiVersions request: the broker's versions, which the proxy caps as for any client. */
    static ByteBuf apiVersions(short version, String clientId, int correlationId) {
        return frame(new ApiVersionsRequest.Builder().build(version), clientId, correlationId);
    }

    /** {@code request} as a complete frame: size prefix, request header, body. */
    static ByteBuf frame(AbstractRequest request, String clientId, int correlationId) {
        ByteBuffer headerAndBody = request.serializeWithHeader(
                new RequestHeader(request.apiKey(), request.version(), clientId, correlationId));
        ByteBuf frame = Unpooled.buffer(4 + headerAndBody.remaining());
        frame.writeInt(headerAndBody.remaining());
        frame.writeBytes(headerAndBody);
        return frame;
    }
}
