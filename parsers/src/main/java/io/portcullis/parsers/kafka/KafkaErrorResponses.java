package io.portcullis.parsers.kafka;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

/**
 * Builds the response a broker would send had it refused the request itself: same correlation id,
 * same API version, the response header version that version calls for, and the authorization
 * error on every topic and partition the request named (or on the API's own resource when it names
 * no topic; see {@link #errorFor}). Clients then fail with a TopicAuthorizationException (or the
 * group/transactional-id/cluster one) instead of retrying or hanging.
 */
public final class KafkaErrorResponses {
    private KafkaErrorResponses() {
    }

    /**
     * A complete response frame (size prefix included) denying {@code frame}, or null when the client
     * expects no response (Produce with acks=0): the proxy then just drops the request.
     *
     * <p>A denied Metadata request is answered with each requested topic carrying
     * TOPIC_AUTHORIZATION_FAILED and no brokers; use the overload to list brokers.
     *
     * @param reason carried in the responses that have an error message field
     * @throws KafkaProtocolException the body does not parse (the proxy must close instead)
     */
    public static ByteBuf deny(KafkaRequestFrame frame, String reason) {
        return deny(frame, reason, List.of());
    }

    /**
     * As {@link #deny(KafkaRequestFrame, String)}, listing {@code metadataBrokers} in a denied
     * Metadata response. The Java client ignores a Metadata response without brokers (and retries
     * until it times out), so a proxy that knows the upstream's brokers (from the last Metadata
     * response it relayed) should pass them: the client then fails fast with
     * TopicAuthorizationException. Ignored for other APIs.
     */
    public static ByteBuf deny(KafkaRequestFrame frame, String reason, List<Node> metadataBrokers) {
        if (!frame.expectsResponse()) {
            return null;
        }
        Errors error = errorFor(frame);
        if (!frame.versionSupported()) {
            // KIP-511: an ApiVersions version the server does not know is answered at v0 with
            // UNSUPPORTED_VERSION and the ApiVersions versions it knows; the client retries with one
            // of them, which the proxy then answers like any denied ApiVersions it can read.
            ApiVersionsResponseData.ApiVersionCollection known = new ApiVersionsResponseData.ApiVersionCollection();
            known.add(new ApiVersionsResponseData.ApiVersion().setApiKey(ApiKeys.API_VERSIONS.id)
                    .setMinVersion(ApiKeys.API_VERSIONS.oldestVersion())
                    .setMaxVersion(ApiKeys.API_VERSIONS.latestVersion()));
            return serialize(frame, new ApiVersionsResponseData().setErrorCode(error.code()).setApiKeys(known),
                    (short) 0);
        }
        ApiMessage body = DenyBodies.build(frame.request(), error, reason, metadataBrokers);
        return serialize(frame, body, frame.apiVersion());
    }

    /** The error a deny of {@code frame} carries, for the access log's {@code errorCode}. */
    public static Errors errorFor(KafkaRequestFrame frame) {
        return frame.versionSupported() ? AuthorizationErrors.of(frame) : Errors.UNSUPPORTED_VERSION;
    }

    private static ByteBuf serialize(KafkaRequestFrame frame, ApiMessage body, short version) {
        ApiKeys api = frame.apiKey();
        short headerVersion = api.responseHeaderVersion(version);
        ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(frame.correlationId());
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
