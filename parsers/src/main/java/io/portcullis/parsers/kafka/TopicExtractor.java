package io.portcullis.parsers.kafka;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.AbstractRequest;

/**
 * Walks a parsed request and collects the topics it names. Only topics the request acts on count:
 * Fetch's forgotten topics leave a fetch session and are not read, so they are skipped.
 */
final class TopicExtractor {
    /** APIs whose requests carry no topic at all. Anything neither here nor extracted is UNKNOWN. */
    static final Set<ApiKeys> NO_TOPICS = EnumSet.of(
            ApiKeys.API_VERSIONS, ApiKeys.SASL_HANDSHAKE, ApiKeys.SASL_AUTHENTICATE,
            ApiKeys.FIND_COORDINATOR, ApiKeys.JOIN_GROUP, ApiKeys.HEARTBEAT, ApiKeys.LEAVE_GROUP,
            ApiKeys.SYNC_GROUP, ApiKeys.DESCRIBE_GROUPS, ApiKeys.LIST_GROUPS, ApiKeys.DELETE_GROUPS,
            ApiKeys.INIT_PRODUCER_ID, ApiKeys.ADD_OFFSETS_TO_TXN, ApiKeys.END_TXN,
            ApiKeys.DESCRIBE_TRANSACTIONS, ApiKeys.LIST_TRANSACTIONS, ApiKeys.DESCRIBE_CLUSTER,
            ApiKeys.CREATE_DELEGATION_TOKEN, ApiKeys.RENEW_DELEGATION_TOKEN, ApiKeys.EXPIRE_DELEGATION_TOKEN,
            ApiKeys.DESCRIBE_DELEGATION_TOKEN, ApiKeys.DESCRIBE_CLIENT_QUOTAS, ApiKeys.ALTER_CLIENT_QUOTAS,
            ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS, ApiKeys.ALTER_USER_SCRAM_CREDENTIALS,
            ApiKeys.GET_TELEMETRY_SUBSCRIPTIONS, ApiKeys.PUSH_TELEMETRY, ApiKeys.CONSUMER_GROUP_DESCRIBE,
            ApiKeys.SHARE_GROUP_DESCRIBE, ApiKeys.STREAMS_GROUP_DESCRIBE);

    private TopicExtractor() {
    }

    static KafkaTopics topics(AbstractRequest request) {
        ApiMessage data = request.data();
        short version = request.version();
        KafkaTopics.Builder topics = KafkaTopics.builder();
        switch (request.apiKey()) {
            case PRODUCE:
                ((ProduceRequestData) data).topicData().forEach(t -> topics.topic(t.name(), t.topicId()));
                break;
            case FETCH:
                fetch((FetchRequestData) data, topics);
                break;
            case LIST_OFFSETS:
                ((ListOffsetsRequestData) data).topics().forEach(t -> topics.name(t.name()));
                break;
            case METADATA:
                metadata((MetadataRequestData) data, topics);
                break;
            case OFFSET_COMMIT:
                ((OffsetCommitRequestData) data).topics().forEach(t -> topics.topic(t.name(), t.topicId()));
                break;
            case OFFSET_FETCH:
                offsetFetch((OffsetFetchRequestData) data, version, topics);
                break;
            case CREATE_TOPICS:
                ((CreateTopicsRequestData) data).topics().forEach(t -> topics.name(t.name()));
                break;
            case DELETE_TOPICS:
                deleteTopics((DeleteTopicsRequestData) data, version, topics);
                break;
            case DELETE_RECORDS:
                ((DeleteRecordsRequestData) data).topics().forEach(t -> topics.name(t.name()));
                break;
            case DESCRIBE_CONFIGS:
                ((DescribeConfigsRequestData) data).resources()
                        .forEach(r -> topicResource(r.resourceType(), r.resourceName(), topics));
                break;
            case ALTER_CONFIGS:
                ((AlterConfigsRequestData) data).resources()
                        .forEach(r -> topicResource(r.resourceType(), r.resourceName(), topics));
                break;
            case INCREMENTAL_ALTER_CONFIGS:
                ((IncrementalAlterConfigsRequestData) data).resources()
                        .forEach(r -> topicResource(r.resourceType(), r.resourceName(), topics));
                break;
            case CREATE_PARTITIONS:
                ((CreatePartitionsRequestData) data).topics().forEach(t -> topics.name(t.name()));
                break;
            case OFFSET_DELETE:
                ((OffsetDeleteRequestData) data).topics().forEach(t -> topics.name(t.name()));
                break;
            case TXN_OFFSET_COMMIT:
                ((TxnOffsetCommitRequestData) data).topics().forEach(t -> topics.name(t.name()));
                break;
            case ADD_PARTITIONS_TO_TXN:
                addPartitionsToTxn((AddPartitionsToTxnRequestData) data, version, topics);
                break;
            case OFFSET_FOR_LEADER_EPOCH:
                ((OffsetForLeaderEpochRequestData) data).topics().forEach(t -> topics.name(t.topic()));
                break;
            case DESCRIBE_PRODUCERS:
                ((DescribeProducersRequestData) data).topics().forEach(t -> topics.name(t.name()));
                break;
            case DESCRIBE_TOPIC_PARTITIONS:
                ((DescribeTopicPartitionsRequestData) data).topics().forEach(t -> topics.name(t.name()));
                break;
            case ALTER_PARTITION_REASSIGNMENTS:
                ((AlterPartitionReassignmentsRequestData) data).topics().forEach(t -> topics.name(t.name()));
                break;
            case LIST_PARTITION_REASSIGNMENTS:
                List<ListPartitionReassignmentsRequestData.ListPartitionReassignmentsTopics> listed =
                        ((ListPartitionReassignmentsRequestData) data).topics();
                if (listed == null) {
                    topics.allTopics();
                } else {
                    listed.forEach(t -> topics.name(t.name()));
                }
                break;
            case ELECT_LEADERS:
                ElectLeadersRequestData.TopicPartitionsCollection elected =
                        ((ElectLeadersRequestData) data).topicPartitions();
                if (elected == null) {
                    topics.allTopics();
                } else {
                    elected.forEach(t -> topics.name(t.topic()));
                }
                break;
            default:
                return NO_TOPICS.contains(request.apiKey()) ? KafkaTopics.NONE : KafkaTopics.UNKNOWN;
        }
        return topics.build();
    }

    /** Epoch 0 starts a session and -1 fetches without one: both list every partition they read. */
    private static void fetch(FetchRequestData data, KafkaTopics.Builder topics) {
        data.topics().forEach(t -> topics.topic(t.topic(), t.topicId()));
        if (data.sessionEpoch() > 0) {
            topics.fetchSession();
        }
    }

    /** Null topics means every topic; an empty list means none (a request for brokers only). */
    private static void metadata(MetadataRequestData data, KafkaTopics.Builder topics) {
        if (data.topics() == null) {
            topics.allTopics();
        } else {
            data.topics().forEach(t -> topics.topic(t.name(), t.topicId()));
        }
    }

    /** v8+ batches groups, each with its own topics; null topics means all the group's topics. */
    private static void offsetFetch(OffsetFetchRequestData data, short version, KafkaTopics.Builder topics) {
        if (version < 8) {
            if (data.topics() == null) {
                topics.allTopics();
            } else {
                data.topics().forEach(t -> topics.name(t.name()));
            }
            return;
        }
        for (OffsetFetchRequestData.OffsetFetchRequestGroup group : data.groups()) {
            if (group.topics() == null) {
                topics.allTopics();
            } else {
                group.topics().forEach(t -> topics.topic(t.name(), t.topicId()));
            }
        }
    }

    /** Before v6 a list of names; from v6 entries with a name or a topic ID. */
    private static void deleteTopics(DeleteTopicsRequestData data, short version, KafkaTopics.Builder topics) {
        if (version < 6) {
            data.topicNames().forEach(topics::name);
        } else {
            data.topics().forEach(t -> topics.topic(t.name(), t.topicId()));
        }
    }

    /** Before v4 one transaction's topics; from v4 (broker-to-broker verification) many transactions. */
    private static void addPartitionsToTxn(AddPartitionsToTxnRequestData data, short version,
            KafkaTopics.Builder topics) {
        if (version < 4) {
            data.v3AndBelowTopics().forEach(t -> topics.name(t.name()));
        } else {
            data.transactions().forEach(txn -> txn.topics().forEach(t -> topics.name(t.name())));
        }
    }

    /** Config APIs name brokers, loggers and groups too; only TOPIC resources are topics. */
    private static void topicResource(byte type, String name, KafkaTopics.Builder topics) {
        if (type == ConfigResource.Type.TOPIC.id()) {
            topics.name(name);
        }
    }
}
