package io.portcullis.parsers.kafka;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.requests.AddPartitionsToTxnResponse;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.FetchResponse;

/**
 * Response bodies for a denied request. kafka-clients' {@code getErrorResponse} is right for most
 * APIs (it copies every topic and partition of the request with the error); the APIs below need
 * their own, because the stock error response would make the client retry instead of failing:
 *
 * <ul>
 *   <li>Fetch: from v13 the stock response carries only a top-level error, which the consumer logs
 *       and retries forever. Like the broker, put the error on each partition (the consumer raises
 *       TopicAuthorizationException) and end the fetch session (session id 0), so that the next
 *       fetch is a full one the proxy judges again.
 *   <li>Metadata: requested topics with the error and no partitions, plus the brokers the proxy
 *       supplies. A request for all topics gets an empty topic list, as a broker answers a client
 *       allowed to see none.
 *   <li>OffsetFetch: the stock response puts the error on the group, which the consumer reports as
 *       an unexpected error; per partition it becomes TopicAuthorizationException. A request for all
 *       of a group's offsets has no partitions to carry it, so it gets the group-level error.
 *   <li>OffsetDelete: the error per partition rather than on the group.
 *   <li>AddPartitionsToTxn v4+ (batched by transaction): the error per partition of each
 *       transaction rather than only at the top level.
 *   <li>Describe/Alter/IncrementalAlterConfigs: only TOPIC resources get the topic error; broker,
 *       logger and other resources get CLUSTER_AUTHORIZATION_FAILED, group resources
 *       GROUP_AUTHORIZATION_FAILED.
 *   <li>DescribeUserScramCredentials: the top-level error, which is all a request for every user
 *       (null users) can carry; the stock response fails on it.
 * </ul>
 *
 * A request whose deny response kafka-clients can not build fails with a
 * {@link KafkaProtocolException}, so that the proxy closes the connection instead of failing
 * on an unexpected exception.
 */
final class DenyBodies {
    private DenyBodies() {
    }

    static ApiMessage build(AbstractRequest request, Errors error, String reason, List<Node> brokers) {
        ApiMessage data = request.data();
        short version = request.version();
        switch (request.apiKey()) {
            case FETCH:
                return fetch((FetchRequestData) data, error);
            case METADATA:
                return metadata((MetadataRequestData) data, version, error, brokers);
            case OFFSET_FETCH:
                return offsetFetch((OffsetFetchRequestData) data, version, error);
            case OFFSET_DELETE:
                return offsetDelete((OffsetDeleteRequestData) data, error);
            case ADD_PARTITIONS_TO_TXN:
                return version >= 4 ? addPartitionsToTxn((AddPartitionsToTxnRequestData) data, error)
                        : stock(request, error, reason);
            case DESCRIBE_CONFIGS:
                DescribeConfigsResponseData described = (DescribeConfigsResponseData) stock(request, error, reason);
                described.results().forEach(r -> r.setErrorCode(configError(r.resourceType(), error)));
                return described;
            case ALTER_CONFIGS:
                AlterConfigsResponseData altered = (AlterConfigsResponseData) stock(request, error, reason);
                altered.responses().forEach(r -> r.setErrorCode(configError(r.resourceType(), error)));
                return altered;
            case INCREMENTAL_ALTER_CONFIGS:
                IncrementalAlterConfigsResponseData incremental =
                        (IncrementalAlterConfigsResponseData) stock(request, error, reason);
                incremental.responses().forEach(r -> r.setErrorCode(configError(r.resourceType(), error)));
                return incremental;
            case DESCRIBE_USER_SCRAM_CREDENTIALS:
                return new DescribeUserScramCredentialsResponseData().setErrorCode(error.code())
                        .setErrorMessage(reason);
            default:
                return stock(request, error, reason);
        }
    }

    private static ApiMessage stock(AbstractRequest request, Errors error, String reason) {
        try {
            return request.getErrorResponse(0, error.exception(reason)).data();
        } catch (RuntimeException e) {
            throw new KafkaProtocolException("cannot build a deny response to " + request.apiKey().name + " v"
                    + request.version(), e);
        }
    }

    private static FetchResponseData fetch(FetchRequestData request, Errors error) {
        FetchResponseData response = new FetchResponseData().setErrorCode(Errors.NONE.code()).setSessionId(0);
        for (FetchRequestData.FetchTopic topic : request.topics()) {
            FetchResponseData.FetchableTopicResponse denied = new FetchResponseData.FetchableTopicResponse()
                    .setTopic(topic.topic())
                    .setTopicId(topic.topicId());
            topic.partitions().forEach(p -> denied.partitions().add(FetchResponse.partitionResponse(p.partition(), error)));
            response.responses().add(denied);
        }
        return response;
    }

    private static MetadataResponseData metadata(MetadataRequestData request, short version, Errors error,
            List<Node> brokers) {
        MetadataResponseData response = new MetadataResponseData();
        for (Node node : brokers) {
            response.brokers().add(new MetadataResponseData.MetadataResponseBroker()
                    .setNodeId(node.id()).setHost(node.host()).setPort(node.port()).setRack(node.rack()));
        }
        if (request.topics() == null) {
            return response;
        }
        for (MetadataRequestData.MetadataRequestTopic topic : request.topics()) {
            // Names are nullable in responses only from v12 (topics asked for by id).
            String name = topic.name() == null && version < 12 ? "" : topic.name();
            response.topics().add(new MetadataResponseData.MetadataResponseTopic()
                    .setName(name)
                    .setTopicId(topic.topicId())
                    .setErrorCode(error.code())
                    .setIsInternal(false));
        }
        return response;
    }

    private static OffsetFetchResponseData offsetFetch(OffsetFetchRequestData request, short version, Errors error) {
        OffsetFetchResponseData response = new OffsetFetchResponseData();
        if (version < 8) {
            if (request.topics() == null) {
                return response.setErrorCode(error.code());
            }
            for (OffsetFetchRequestData.OffsetFetchRequestTopic topic : request.topics()) {
                OffsetFetchResponseData.OffsetFetchResponseTopic denied =
                        new OffsetFetchResponseData.OffsetFetchResponseTopic().setName(topic.name());
                topic.partitionIndexes().forEach(p -> denied.partitions().add(
                        new OffsetFetchResponseData.OffsetFetchResponsePartition()
                                .setPartitionIndex(p).setCommittedOffset(-1).setMetadata("").setErrorCode(error.code())));
                response.topics().add(denied);
            }
            return response;
        }
        for (OffsetFetchRequestData.OffsetFetchRequestGroup group : request.groups()) {
            OffsetFetchResponseData.OffsetFetchResponseGroup deniedGroup =
                    new OffsetFetchResponseData.OffsetFetchResponseGroup().setGroupId(group.groupId());
            if (group.topics() == null) {
                deniedGroup.setErrorCode(error.code());
            } else {
                for (OffsetFetchRequestData.OffsetFetchRequestTopics topic : group.topics()) {
                    OffsetFetchResponseData.OffsetFetchResponseTopics denied =
                            new OffsetFetchResponseData.OffsetFetchResponseTopics()
                                    .setName(topic.name()).setTopicId(topic.topicId());
                    topic.partitionIndexes().forEach(p -> denied.partitions().add(
                            new OffsetFetchResponseData.OffsetFetchResponsePartitions()
                                    .setPartitionIndex(p).setCommittedOffset(-1).setMetadata("")
                                    .setErrorCode(error.code())));
                    deniedGroup.topics().add(denied);
                }
            }
            response.groups().add(deniedGroup);
        }
        return response;
    }

    private static OffsetDeleteResponseData offsetDelete(OffsetDeleteRequestData request, Errors error) {
        OffsetDeleteResponseData response = new OffsetDeleteResponseData();
        for (OffsetDeleteRequestData.OffsetDeleteRequestTopic topic : request.topics()) {
            OffsetDeleteResponseData.OffsetDeleteResponseTopic denied =
                    new OffsetDeleteResponseData.OffsetDeleteResponseTopic().setName(topic.name());
            topic.partitions().forEach(p -> denied.partitions().add(
                    new OffsetDeleteResponseData.OffsetDeleteResponsePartition()
                            .setPartitionIndex(p.partitionIndex()).setErrorCode(error.code())));
            response.topics().add(denied);
        }
        return response;
    }

    private static AddPartitionsToTxnResponseData addPartitionsToTxn(AddPartitionsToTxnRequestData request,
            Errors error) {
        AddPartitionsToTxnResponseData.AddPartitionsToTxnResultCollection results =
                new AddPartitionsToTxnResponseData.AddPartitionsToTxnResultCollection();
        for (AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction transaction : request.transactions()) {
            Map<TopicPartition, Errors> denied = new LinkedHashMap<>();
            transaction.topics().forEach(t -> t.partitions().forEach(p -> denied.put(new TopicPartition(t.name(), p), error)));
            results.add(AddPartitionsToTxnResponse.resultForTransaction(transaction.transactionalId(), denied));
        }
        return new AddPartitionsToTxnResponseData().setResultsByTransaction(results);
    }

    private static short configError(byte resourceType, Errors topicError) {
        if (resourceType == ConfigResource.Type.TOPIC.id()) {
            return topicError.code();
        }
        if (resourceType == ConfigResource.Type.GROUP.id()) {
            return Errors.GROUP_AUTHORIZATION_FAILED.code();
        }
        return Errors.CLUSTER_AUTHORIZATION_FAILED.code();
    }
}
