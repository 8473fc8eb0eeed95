package io.portcullis.proxy.kafka;

import io.portcullis.parsers.kafka.KafkaResponseFrames;
import io.netty.buffer.ByteBuf;
import java.util.Map;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersionCollection;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * Rewrites the broker's ApiVersions response so that clients only use versions the proxy can
 * judge. A client picks, per API, the highest version both sides support, so lowering the
 * broker's advertised maximum is how the proxy steers it:
 *
 * <ul>
 *   <li>Every API is capped to the versions kafka-clients (the proxy's parser) knows, and APIs it
 *       does not know are dropped: the frame decoder refuses what it cannot read, so advertising
 *       them would only get connections closed.
 *   <li>Produce and Fetch are capped at v12, OffsetCommit and OffsetFetch at v9: their later
 *       versions name topics by ID only, and a topic rule can only judge names. The proxy caps
 *       always, not only under topic rules, because the policy can change while the connection
 *       lives: a connection opened under header-only rules must still be judgeable when a topic
 *       rule arrives. Clients lose nothing they need: those versions add topic IDs and
 *       replica-side fields.
 * </ul>
 *
 * A response carrying an error (an ApiVersions version the broker does not know, answered at v0)
 * is relayed unchanged: the client retries with a version both know, and that answer is capped.
 */
final class ApiVersionsCap {
    /** The highest version of each API that still names topics (the next one uses topic IDs only). */
    static final Map<ApiKeys, Short> TOPIC_NAME_VERSIONS = Map.of(
            ApiKeys.PRODUCE, (short) 12,
            ApiKeys.FETCH, (short) 12,
            ApiKeys.OFFSET_COMMIT, (short) 9,
            ApiKeys.OFFSET_FETCH, (short) 9);

    private ApiVersionsCap() {
    }

    /**
     * The capped response; takes ownership of {@code response} (a complete frame).
     *
     * @param version the ApiVersions request's version, which the response body uses
     */
    static ByteBuf cap(ByteBuf response, short version, int correlationId) {
        ApiVersionsResponseData data;
        try {
            data = new ApiVersionsResponseData(ResponseBodies.body(response, ApiKeys.API_VERSIONS, version), version);
        } catch (RuntimeException e) {
            // An error response is always v0, which a newer version's reader may not parse.
            if (errorCode(response) != Errors.NONE.code()) {
                return response;
            }
            response.release();
            throw new IllegalStateException("unreadable ApiVersions response from the broker: " + e, e);
        }
        if (data.errorCode() != Errors.NONE.code()) {
            return response;
        }
        response.release();
        ApiVersionCollection capped = new ApiVersionCollection();
        for (ApiVersion advertised : data.apiKeys()) {
            short id = advertised.apiKey();
            if (!ApiKeys.hasId(id) || !ApiKeys.forId(id).hasValidVersion()) {
                continue;
            }
            ApiKeys api = ApiKeys.forId(id);
            short max = (short) Math.min(advertised.maxVersion(), api.latestVersion());
            max = (short) Math.min(max, TOPIC_NAME_VERSIONS.getOrDefault(api, Short.MAX_VALUE));
            short min = (short) Math.max(advertised.minVersion(), api.oldestVersion());
            if (min <= max) {
                capped.add(new ApiVersion().setApiKey(id).setMinVersion(min).setMaxVersion(max));
            }
        }
        data.setApiKeys(capped);
        return KafkaResponseFrames.frame(ApiKeys.API_VERSIONS, version, correlationId, data);
    }

    /** error_code is the first field of every ApiVersions response version; the header is v0. */
    private static short errorCode(ByteBuf response) {
        return response.readableBytes() >= 10 ? response.getShort(response.readerIndex() + 8) : -1;
    }

    /** For the access log: the response's error code without parsing the rest. */
    static short errorCodeOf(ByteBuf response) {
        return errorCode(response);
    }
}
