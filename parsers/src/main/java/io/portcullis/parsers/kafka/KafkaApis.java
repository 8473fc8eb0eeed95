package io.portcullis.parsers.kafka;

import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * Kafka API names and the API sets of Cilium's Kafka roles, as seen on the wire.
 *
 * <p>Names resolve case-insensitively from kafka-clients' protocol name ({@code ListOffsets}), its
 * enum constant ({@code LIST_OFFSETS}) and the constant without underscores ({@code listoffsets}),
 * plus Cilium's {@code offsets} for ListOffsets. Only APIs that {@link KafkaFrameDecoder} accepts
 * resolve; ids the protocol has retired (LeaderAndIsr, StopReplica, ...) do not.
 */
public final class KafkaApis {
    /** Cilium's {@code role: produce}. */
    public static final Set<ApiKeys> PRODUCE_ROLE = Collections.unmodifiableSet(
            EnumSet.of(ApiKeys.PRODUCE, ApiKeys.METADATA, ApiKeys.API_VERSIONS));
    /** Cilium's {@code role: consume}. */
    public static final Set<ApiKeys> CONSUME_ROLE = Collections.unmodifiableSet(EnumSet.of(
            ApiKeys.FETCH, ApiKeys.LIST_OFFSETS, ApiKeys.METADATA, ApiKeys.OFFSET_COMMIT, ApiKeys.OFFSET_FETCH,
            ApiKeys.FIND_COORDINATOR, ApiKeys.JOIN_GROUP, ApiKeys.HEARTBEAT, ApiKeys.LEAVE_GROUP,
            ApiKeys.SYNC_GROUP, ApiKeys.API_VERSIONS));

    private static final Map<String, ApiKeys> BY_NAME = byName();

    private KafkaApis() {
    }

    /** The API called {@code name}, or empty if there is none. */
    public static Optional<ApiKeys> forName(String name) {
        return Optional.ofNullable(BY_NAME.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The APIs of Cilium role {@code produce} or {@code consume} (case-insensitive), or empty. */
    public static Optional<Set<ApiKeys>> role(String role) {
        switch (role.toLowerCase(Locale.ROOT)) {
            case "produce":
                return Optional.of(PRODUCE_ROLE);
            case "consume":
                return Optional.of(CONSUME_ROLE);
            default:
                return Optional.empty();
        }
    }

    private static Map<String, ApiKeys> byName() {
        Map<String, ApiKeys> names = new HashMap<>();
        for (ApiKeys api : ApiKeys.values()) {
            if (!api.hasValidVersion()) {
                continue;
            }
            String constant = api.name().toLowerCase(Locale.ROOT);
            names.put(api.name.toLowerCase(Locale.ROOT), api);
            names.put(constant, api);
            names.put(constant.replace("_", ""), api);
        }
        names.put("offsets", ApiKeys.LIST_OFFSETS);
        return Collections.unmodifiableMap(names);
    }
}
