package io.portcullis.parsers.kafka;

import io.netty.buffer.ByteBuf;
import java.util.List;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

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
            return KafkaResponseFrames.frame(frame.apiKey(), (short) 0, frame.correlationId(),
                    new ApiVersionsResponseData().setErrorCode(error.code()).setApiKeys(known));
        }
        ApiMessage body = DenyBodies.build(frame.request(), error, reason, metadataBrokers);
        return KafkaResponseFrames.frame(frame.apiKey(), frame.apiVersion(), frame.correlationId(), body);
    }

    /** The error a deny of {@code frame} carries, for the access log's {@code errorCode}. */
    public static Errors errorFor(KafkaRequestFrame frame) {
        return frame.versionSupported() ? AuthorizationErrors.of(frame) : Errors.UNSUPPORTED_VERSION;
    }
}
