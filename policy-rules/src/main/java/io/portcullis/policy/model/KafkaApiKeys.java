package io.portcullis.policy.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The Kafka protocol's API names and numbers, as written in {@code rules.kafka[].apiKey}
 * (case-insensitive), and the API keys each {@code role} stands for.
 */
public final class KafkaApiKeys {
    private static final Map<String, Integer> BY_NAME;

    static {
        String[] names = {
            "produce", "fetch", "listoffsets", "metadata", "leaderandisr", "stopreplica", "updatemetadata",
            "controlledshutdown", "offsetcommit", "offsetfetch", "findcoordinator", "joingroup", "heartbeat",
            "leavegroup", "syncgroup", "describegroups", "listgroups", "saslhandshake", "apiversions",
            "createtopics", "deletetopics", "deleterecords", "initproducerid", "offsetforleaderepoch",
            "addpartitionstotxn", "addoffsetstotxn", "endtxn", "writetxnmarkers", "txnoffsetcommit",
            "describeacls", "createacls", "deleteacls", "describeconfigs", "alterconfigs",
            "alterreplicalogdirs", "describelogdirs", "saslauthenticate", "createpartitions",
            "createdelegationtoken", "renewdelegationtoken", "expiredelegationtoken",
            "describedelegationtoken", "deletegroups", "electleaders", "incrementalalterconfigs",
            "alterpartitionreassignments", "listpartitionreassignments", "offsetdelete",
            "describeclientquotas", "alterclientquotas", "describeuserscramcredentials",
            "alteruserscramcredentials", "vote", "beginquorumepoch", "endquorumepoch", "describequorum",
            "alterpartition", "updatefeatures", "envelope", "fetchsnapshot", "describecluster",
            "describeproducers", "brokerregistration", "brokerheartbeat", "unregisterbroker",
            "describetransactions", "listtransactions", "allocateproducerids", "consumergroupheartbeat",
            "consumergroupdescribe", "controllerregistration", "gettelemetrysubscriptions", "pushtelemetry",
            "assignreplicastodirs", "listclientmetricsresources", "describetopicpartitions",
        };
        Map<String, Integer> byName = new LinkedHashMap<>();
        for (int key = 0; key < names.length; key++) {
            byName.put(names[key], key);
        }
        // Cilium's name for ListOffsets, kept so Cilium policies load unchanged.
        byName.put("offsets", 2);
        BY_NAME = Collections.unmodifiableMap(byName);
    }

    public static final int PRODUCE = 0;
    public static final int FETCH = 1;
    public static final int LIST_OFFSETS = 2;
    public static final int METADATA = 3;
    public static final int OFFSET_COMMIT = 8;
    public static final int OFFSET_FETCH = 9;
    public static final int FIND_COORDINATOR = 10;
    public static final int JOIN_GROUP = 11;
    public static final int HEARTBEAT = 12;
    public static final int LEAVE_GROUP = 13;
    public static final int SYNC_GROUP = 14;
    public static final int API_VERSIONS = 18;
    public static final int INIT_PRODUCER_ID = 22;
    public static final int CONSUMER_GROUP_HEARTBEAT = 68;

    /**
     * {@code role: produce}: what a producer needs. Cilium's set plus InitProducerId, without
     * which today's clients (idempotent by default since Kafka 3.0) cannot produce at all.
     */
    public static final Set<Integer> PRODUCE_ROLE = Set.of(PRODUCE, METADATA, API_VERSIONS, INIT_PRODUCER_ID);
    /**
     * {@code role: consume}: what a group consumer needs. Cilium's set plus
     * ConsumerGroupHeartbeat, the group protocol of KIP-848 consumers.
     */
    public static final Set<Integer> CONSUME_ROLE = Set.of(FETCH, LIST_OFFSETS, METADATA, OFFSET_COMMIT,
            OFFSET_FETCH, FIND_COORDINATOR, JOIN_GROUP, HEARTBEAT, LEAVE_GROUP, SYNC_GROUP, API_VERSIONS,
            CONSUMER_GROUP_HEARTBEAT);

    private KafkaApiKeys() {
    }

    /** The table's (lower-case) name of an API key, or its number when the table lacks it. */
    public static String nameOf(int apiKey) {
        for (Map.Entry<String, Integer> entry : BY_NAME.entrySet()) {
            if (entry.getValue() == apiKey) {
                return entry.getKey();
            }
        }
        return String.valueOf(apiKey);
    }

    /** The API key for a name such as {@code Produce} or {@code listoffsets}. */
    public static OptionalInt byName(String name) {
        Integer key = BY_NAME.get(name.toLowerCase(Locale.ROOT));
        return key == null ? OptionalInt.empty() : OptionalInt.of(key);
    }
}
