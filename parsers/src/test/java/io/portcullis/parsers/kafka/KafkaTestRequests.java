package io.portcullis.parsers.kafka;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AddPartitionsToTxnRequest;
import org.apache.kafka.common.requests.AlterConfigsRequest;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.CreatePartitionsRequest;
import org.apache.kafka.common.requests.CreateTopicsRequest;
import org.apache.kafka.common.requests.DeleteRecordsRequest;
import org.apache.kafka.common.requests.DeleteTopicsRequest;
import org.apache.kafka.common.requests.DescribeConfigsRequest;
import org.apache.kafka.common.requests.DescribeProducersRequest;
import org.apache.kafka.common.requests.ElectLeadersRequest;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.HeartbeatRequest;
import org.apache.kafka.common.requests.IncrementalAlterConfigsRequest;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.apache.kafka.common.requests.OffsetDeleteRequest;
import org.apache.kafka.common.requests.OffsetFetchRequest;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochRequest;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.TxnOffsetCommitRequest;

/**
 * Real requests built with kafka-clients' builders, one case per API shape, each with the topics it
 * names and the errors its deny response must carry. Most name "orders" (partitions 0 and 1) and
 * "payments" (partition 0), so partition-level denials count 3 errors and topic-level ones 2.
 */
final class KafkaTestRequests {
    static final String CLIENT_ID = "test-client";
    static final Uuid ORDERS_ID = Uuid.fromString("b8gpNDd1T1OFO6Jqlcs0Vg");
    static final Uuid PAYMENTS_ID = Uuid.fromString("q2Rc0gcZRb2sy9D5ZUEqlA");

    /**
     * @param builder request for a version (may ignore it and use the builder's own range)
     * @param topics expected topics per version
     * @param errors expected error counts of the deny response per version
     */
    record Case(String name, Function<Short, AbstractRequest.Builder<?>> builder,
            IntFunction<KafkaTopics> topics, IntFunction<Map<Errors, Integer>> errors) {
        @Override
        public String toString() {
            return name;
        }
    }

    private KafkaTestRequests() {
    }

    static ByteBuf wire(AbstractRequest request, int correlationId) {
        ByteBuffer headerAndBody = request.serializeWithHeader(
                new RequestHeader(request.apiKey(), request.version(), CLIENT_ID, correlationId));
        ByteBuf wire = Unpooled.buffer(4 + headerAndBody.remaining());
        wire.writeInt(headerAndBody.remaining());
        wire.writeBytes(headerAndBody);
        return wire;
    }

    static KafkaRequestFrame decode(AbstractRequest request, int correlationId) {
        EmbeddedChannel channel = new EmbeddedChannel(new KafkaFrameDecoder());
        channel.writeInbound(wire(request, correlationId));
        KafkaRequestFrame frame = channel.readInbound();
        channel.finishAndReleaseAll();
        return frame;
    }

    static KafkaTopics names(String... names) {
        KafkaTopics.Builder topics = KafkaTopics.builder();
        for (String name : names) {
            topics.name(name);
        }
        return topics.build();
    }

    static KafkaTopics ids(Uuid... ids) {
        KafkaTopics.Builder topics = KafkaTopics.builder();
        for (Uuid id : ids) {
            topics.topic(null, id);
        }
        return topics.build();
    }

    static KafkaTopics all() {
        return KafkaTopics.builder().allTopics().build();
    }

    private static final KafkaTopics TWO = names("orders", "payments");
    private static final KafkaTopics TWO_IDS = ids(ORDERS_ID, PAYMENTS_ID);
    private static final Map<Errors, Integer> THREE_DENIED = Map.of(Errors.TOPIC_AUTHORIZATION_FAILED, 3);
    private static final Map<Errors, Integer> TWO_DENIED = Map.of(Errors.TOPIC_AUTHORIZATION_FAILED, 2);

    static List<Case> topicCases() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("Produce", v -> ProduceRequest.builder(produce(v >= 13)),
                v -> v >= 13 ? TWO_IDS : TWO, v -> THREE_DENIED));
        cases.add(new Case("Fetch", v -> FetchRequest.Builder.forConsumer(v, 100, 1, fetchPartitions()),
                v -> v >= 13 ? TWO_IDS : TWO, v -> THREE_DENIED));
        cases.add(new Case("ListOffsets", v -> ListOffsetsRequest.Builder.forConsumer(false, IsolationLevel.READ_UNCOMMITTED)
                .setTargetTimes(listOffsets()), v -> TWO, v -> THREE_DENIED));
        cases.add(new Case("Metadata", v -> new MetadataRequest.Builder(List.of("orders", "payments"), true),
                v -> TWO, v -> TWO_DENIED));
        cases.add(new Case("Metadata all topics", v -> new MetadataRequest.Builder(null, true),
                v -> v == 0 ? names() : all(), v -> Map.of()));
        cases.add(new Case("Metadata by id", v -> MetadataRequest.Builder.forTopicIds(Set.of(ORDERS_ID)),
                v -> ids(ORDERS_ID), v -> Map.of(Errors.TOPIC_AUTHORIZATION_FAILED, 1)));
        cases.add(new Case("OffsetCommit", v -> OffsetCommitRequest.Builder.forTopicNames(offsetCommit()),
                v -> TWO, v -> THREE_DENIED));
        cases.add(new Case("OffsetFetch", v -> OffsetFetchRequest.Builder.forTopicNames(offsetFetch(false), false),
                v -> TWO, v -> THREE_DENIED));
        cases.add(new Case("OffsetFetch all topics",
                v -> OffsetFetchRequest.Builder.forTopicNames(offsetFetch(true), false),
                v -> all(), v -> Map.of(Errors.TOPIC_AUTHORIZATION_FAILED, 1)));
        cases.add(new Case("CreateTopics", v -> new CreateTopicsRequest.Builder(createTopics()), v -> TWO, v -> TWO_DENIED));
        cases.add(new Case("DeleteTopics", v -> new DeleteTopicsRequest.Builder(
                new DeleteTopicsRequestData().setTopicNames(List.of("orders", "payments")).setTimeoutMs(1000)),
                v -> TWO, v -> TWO_DENIED));
        cases.add(new Case("DeleteTopics by id", v -> new DeleteTopicsRequest.Builder(deleteTopicsById()),
                v -> ids(ORDERS_ID), v -> Map.of(Errors.TOPIC_AUTHORIZATION_FAILED, 1)));
        cases.add(new Case("DeleteRecords", v -> new DeleteRecordsRequest.Builder(deleteRecords()), v -> TWO, v -> THREE_DENIED));
        cases.add(new Case("DescribeConfigs", v -> new DescribeConfigsRequest.Builder(describeConfigs()), v -> TWO,
                v -> Map.of(Errors.TOPIC_AUTHORIZATION_FAILED, 2, Errors.CLUSTER_AUTHORIZATION_FAILED, 1)));
        cases.add(new Case("AlterConfigs", v -> new AlterConfigsRequest.Builder(alterConfigs(), false), v -> TWO,
                v -> Map.of(Errors.TOPIC_AUTHORIZATION_FAILED, 2, Errors.CLUSTER_AUTHORIZATION_FAILED, 1)));
        cases.add(new Case("IncrementalAlterConfigs", v -> new IncrementalAlterConfigsRequest.Builder(incrementalAlterConfigs()),
                v -> TWO, v -> Map.of(Errors.TOPIC_AUTHORIZATION_FAILED, 2, Errors.CLUSTER_AUTHORIZATION_FAILED, 1)));
        cases.add(new Case("CreatePartitions", v -> new CreatePartitionsRequest.Builder(createPartitions()), v -> TWO, v -> TWO_DENIED));
        cases.add(new Case("OffsetDelete", v -> new OffsetDeleteRequest.Builder(offsetDelete()), v -> TWO, v -> THREE_DENIED));
        cases.add(new Case("TxnOffsetCommit", v -> new TxnOffsetCommitRequest.Builder("txn", "group", 1L, (short) 0,
                txnOffsets(), false), v -> TWO, v -> THREE_DENIED));
        cases.add(new Case("AddPartitionsToTxn client", v -> AddPartitionsToTxnRequest.Builder.forClient("txn", 1L, (short) 0,
                partitions()), v -> TWO, v -> THREE_DENIED));
        cases.add(new Case("AddPartitionsToTxn broker", v -> AddPartitionsToTxnRequest.Builder.forBroker(transactions()),
                v -> names("orders", "payments", "audit"), v -> Map.of(Errors.TOPIC_AUTHORIZATION_FAILED, 4)));
        cases.add(new Case("OffsetForLeaderEpoch", v -> OffsetsForLeaderEpochRequest.Builder.forConsumer(leaderEpochs()),
                v -> TWO, v -> THREE_DENIED));
        cases.add(new Case("DescribeProducers", v -> new DescribeProducersRequest.Builder(describeProducers()),
                v -> TWO, v -> THREE_DENIED));
        cases.add(new Case("ElectLeaders all topics", v -> new ElectLeadersRequest.Builder(ElectionType.PREFERRED, null, 1000),
                // v0 has neither a top-level error nor partitions to put one on: the deny is an empty result.
                v -> all(), v -> v == 0 ? Map.of() : Map.of(Errors.TOPIC_AUTHORIZATION_FAILED, 1)));
        return cases;
    }

    /** APIs without topics and the API's own authorization error. */
    static List<Case> topicFreeCases() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("ApiVersions", v -> new ApiVersionsRequest.Builder(), v -> KafkaTopics.NONE,
                v -> Map.of(Errors.CLUSTER_AUTHORIZATION_FAILED, 1)));
        cases.add(new Case("FindCoordinator group", v -> new FindCoordinatorRequest.Builder(new FindCoordinatorRequestData()
                .setKeyType(FindCoordinatorRequest.CoordinatorType.GROUP.id())
                .setCoordinatorKeys(List.of("group"))), v -> KafkaTopics.NONE,
                v -> Map.of(Errors.GROUP_AUTHORIZATION_FAILED, 1)));
        cases.add(new Case("FindCoordinator transaction", v -> new FindCoordinatorRequest.Builder(new FindCoordinatorRequestData()
                .setKeyType(FindCoordinatorRequest.CoordinatorType.TRANSACTION.id())
                .setCoordinatorKeys(List.of("txn"))), v -> KafkaTopics.NONE,
                v -> Map.of(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, 1)));
        cases.add(new Case("JoinGroup", v -> new JoinGroupRequest.Builder(new JoinGroupRequestData().setGroupId("group")
                .setMemberId("").setProtocolType("consumer").setSessionTimeoutMs(10000)
                .setRebalanceTimeoutMs(10000)), v -> KafkaTopics.NONE,
                v -> Map.of(Errors.GROUP_AUTHORIZATION_FAILED, 1)));
        cases.add(new Case("Heartbeat", v -> new HeartbeatRequest.Builder(new HeartbeatRequestData().setGroupId("group")
                .setMemberId("m").setGenerationId(1)), v -> KafkaTopics.NONE,
                v -> Map.of(Errors.GROUP_AUTHORIZATION_FAILED, 1)));
        cases.add(new Case("InitProducerId idempotent", v -> new InitProducerIdRequest.Builder(new InitProducerIdRequestData()
                .setTransactionalId(null).setTransactionTimeoutMs(1000).setProducerId(-1).setProducerEpoch((short) -1)), v -> KafkaTopics.NONE,
                v -> Map.of(Errors.CLUSTER_AUTHORIZATION_FAILED, 1)));
        cases.add(new Case("InitProducerId transactional", v -> new InitProducerIdRequest.Builder(new InitProducerIdRequestData()
                .setTransactionalId("txn").setTransactionTimeoutMs(1000).setProducerId(-1)
                .setProducerEpoch((short) -1)), v -> KafkaTopics.NONE,
                v -> Map.of(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, 1)));
        return cases;
    }

    static ProduceRequestData produce(boolean byId) {
        return produce(byId, (short) -1);
    }

    static ProduceRequestData produce(boolean byId, short acks) {
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(produceTopic(byId ? null : "orders", byId ? ORDERS_ID : Uuid.ZERO_UUID, 0, 1));
        topics.add(produceTopic(byId ? null : "payments", byId ? PAYMENTS_ID : Uuid.ZERO_UUID, 0));
        return new ProduceRequestData().setAcks(acks).setTimeoutMs(1000).setTopicData(topics);
    }

    private static ProduceRequestData.TopicProduceData produceTopic(String name, Uuid id, int... partitions) {
        ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData().setTopicId(id);
        if (name != null) {
            topic.setName(name);
        }
        for (int p : partitions) {
            topic.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(p)
                    .setRecords(MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("key".getBytes(), "value".getBytes()))));
        }
        return topic;
    }

    private static List<TopicPartition> partitions() {
        return List.of(new TopicPartition("orders", 0), new TopicPartition("orders", 1), new TopicPartition("payments", 0));
    }

    private static Map<TopicPartition, FetchRequest.PartitionData> fetchPartitions() {
        Map<TopicPartition, FetchRequest.PartitionData> fetch = new LinkedHashMap<>();
        for (TopicPartition tp : partitions()) {
            Uuid id = tp.topic().equals("orders") ? ORDERS_ID : PAYMENTS_ID;
            fetch.put(tp, new FetchRequest.PartitionData(id, 0, 0, 1024, Optional.empty()));
        }
        return fetch;
    }

    private static List<ListOffsetsRequestData.ListOffsetsTopic> listOffsets() {
        return List.of(
                new ListOffsetsRequestData.ListOffsetsTopic().setName("orders").setPartitions(List.of(
                        new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0).setTimestamp(-1),
                        new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(1).setTimestamp(-1))),
                new ListOffsetsRequestData.ListOffsetsTopic().setName("payments").setPartitions(List.of(
                        new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0).setTimestamp(-1))));
    }

    private static OffsetCommitRequestData offsetCommit() {
        return new OffsetCommitRequestData().setGroupId("group").setGenerationIdOrMemberEpoch(1).setMemberId("m")
                .setTopics(List.of(
                        new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("orders").setPartitions(List.of(
                                new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(5),
                                new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(1).setCommittedOffset(5))),
                        new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("payments").setPartitions(List.of(
                                new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(5)))));
    }

    private static OffsetFetchRequestData offsetFetch(boolean allTopics) {
        OffsetFetchRequestData.OffsetFetchRequestGroup group = new OffsetFetchRequestData.OffsetFetchRequestGroup()
                .setGroupId("group");
        group.setTopics(allTopics ? null : List.of(
                new OffsetFetchRequestData.OffsetFetchRequestTopics().setName("orders").setPartitionIndexes(List.of(0, 1)),
                new OffsetFetchRequestData.OffsetFetchRequestTopics().setName("payments").setPartitionIndexes(List.of(0))));
        return new OffsetFetchRequestData().setGroups(List.of(group));
    }

    private static CreateTopicsRequestData createTopics() {
        CreateTopicsRequestData.CreatableTopicCollection topics = new CreateTopicsRequestData.CreatableTopicCollection();
        topics.add(new CreateTopicsRequestData.CreatableTopic().setName("orders").setNumPartitions(2).setReplicationFactor((short) 1));
        topics.add(new CreateTopicsRequestData.CreatableTopic().setName("payments").setNumPartitions(1).setReplicationFactor((short) 1));
        return new CreateTopicsRequestData().setTopics(topics).setTimeoutMs(1000);
    }

    private static DeleteTopicsRequestData deleteTopicsById() {
        return new DeleteTopicsRequestData().setTimeoutMs(1000)
                .setTopics(List.of(new DeleteTopicsRequestData.DeleteTopicState().setTopicId(ORDERS_ID)));
    }

    private static DeleteRecordsRequestData deleteRecords() {
        return new DeleteRecordsRequestData().setTimeoutMs(1000).setTopics(List.of(
                new DeleteRecordsRequestData.DeleteRecordsTopic().setName("orders").setPartitions(List.of(
                        new DeleteRecordsRequestData.DeleteRecordsPartition().setPartitionIndex(0).setOffset(1),
                        new DeleteRecordsRequestData.DeleteRecordsPartition().setPartitionIndex(1).setOffset(1))),
                new DeleteRecordsRequestData.DeleteRecordsTopic().setName("payments").setPartitions(List.of(
                        new DeleteRecordsRequestData.DeleteRecordsPartition().setPartitionIndex(0).setOffset(1)))));
    }

    private static DescribeConfigsRequestData describeConfigs() {
        return new DescribeConfigsRequestData().setResources(List.of(
                new DescribeConfigsRequestData.DescribeConfigsResource()
                        .setResourceType(ConfigResource.Type.TOPIC.id()).setResourceName("orders"),
                new DescribeConfigsRequestData.DescribeConfigsResource()
                        .setResourceType(ConfigResource.Type.BROKER.id()).setResourceName("1"),
                new DescribeConfigsRequestData.DescribeConfigsResource()
                        .setResourceType(ConfigResource.Type.TOPIC.id()).setResourceName("payments")));
    }

    private static Map<ConfigResource, AlterConfigsRequest.Config> alterConfigs() {
        AlterConfigsRequest.Config config = new AlterConfigsRequest.Config(
                List.of(new AlterConfigsRequest.ConfigEntry("retention.ms", "1000")));
        Map<ConfigResource, AlterConfigsRequest.Config> configs = new LinkedHashMap<>();
        configs.put(new ConfigResource(ConfigResource.Type.TOPIC, "orders"), config);
        configs.put(new ConfigResource(ConfigResource.Type.BROKER, "1"), config);
        configs.put(new ConfigResource(ConfigResource.Type.TOPIC, "payments"), config);
        return configs;
    }

    private static IncrementalAlterConfigsRequestData incrementalAlterConfigs() {
        IncrementalAlterConfigsRequestData.AlterConfigsResourceCollection resources =
                new IncrementalAlterConfigsRequestData.AlterConfigsResourceCollection();
        resources.add(new IncrementalAlterConfigsRequestData.AlterConfigsResource()
                .setResourceType(ConfigResource.Type.TOPIC.id()).setResourceName("orders"));
        resources.add(new IncrementalAlterConfigsRequestData.AlterConfigsResource()
                .setResourceType(ConfigResource.Type.BROKER.id()).setResourceName("1"));
        resources.add(new IncrementalAlterConfigsRequestData.AlterConfigsResource()
                .setResourceType(ConfigResource.Type.TOPIC.id()).setResourceName("payments"));
        return new IncrementalAlterConfigsRequestData().setResources(resources);
    }

    private static CreatePartitionsRequestData createPartitions() {
        CreatePartitionsRequestData.CreatePartitionsTopicCollection topics =
                new CreatePartitionsRequestData.CreatePartitionsTopicCollection();
        topics.add(new CreatePartitionsRequestData.CreatePartitionsTopic().setName("orders").setCount(4));
        topics.add(new CreatePartitionsRequestData.CreatePartitionsTopic().setName("payments").setCount(4));
        return new CreatePartitionsRequestData().setTopics(topics).setTimeoutMs(1000);
    }

    private static OffsetDeleteRequestData offsetDelete() {
        OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection topics =
                new OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection();
        topics.add(new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName("orders").setPartitions(List.of(
                new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(0),
                new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(1))));
        topics.add(new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName("payments").setPartitions(List.of(
                new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(0))));
        return new OffsetDeleteRequestData().setGroupId("group").setTopics(topics);
    }

    private static Map<TopicPartition, TxnOffsetCommitRequest.CommittedOffset> txnOffsets() {
        Map<TopicPartition, TxnOffsetCommitRequest.CommittedOffset> offsets = new LinkedHashMap<>();
        partitions().forEach(tp -> offsets.put(tp, new TxnOffsetCommitRequest.CommittedOffset(5, "", Optional.empty())));
        return offsets;
    }

    private static AddPartitionsToTxnRequestData.AddPartitionsToTxnTransactionCollection transactions() {
        AddPartitionsToTxnRequestData.AddPartitionsToTxnTransactionCollection transactions =
                new AddPartitionsToTxnRequestData.AddPartitionsToTxnTransactionCollection();
        transactions.add(transaction("txn-1", Map.of("orders", List.of(0, 1))));
        transactions.add(transaction("txn-2", Map.of("payments", List.of(0))));
        transactions.add(transaction("txn-3", Map.of("audit", List.of(0))));
        return transactions;
    }

    private static AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction transaction(String id,
            Map<String, List<Integer>> partitions) {
        AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection topics =
                new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection();
        partitions.forEach((name, p) -> topics.add(
                new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic().setName(name).setPartitions(p)));
        return new AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction().setTransactionalId(id)
                .setProducerId(1).setProducerEpoch((short) 0).setVerifyOnly(true).setTopics(topics);
    }

    private static OffsetForLeaderEpochRequestData.OffsetForLeaderTopicCollection leaderEpochs() {
        OffsetForLeaderEpochRequestData.OffsetForLeaderTopicCollection topics =
                new OffsetForLeaderEpochRequestData.OffsetForLeaderTopicCollection();
        topics.add(new OffsetForLeaderEpochRequestData.OffsetForLeaderTopic().setTopic("orders").setPartitions(List.of(
                new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition().setPartition(0).setLeaderEpoch(1),
                new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition().setPartition(1).setLeaderEpoch(1))));
        topics.add(new OffsetForLeaderEpochRequestData.OffsetForLeaderTopic().setTopic("payments").setPartitions(List.of(
                new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition().setPartition(0).setLeaderEpoch(1))));
        return topics;
    }

    private static DescribeProducersRequestData describeProducers() {
        return new DescribeProducersRequestData().setTopics(List.of(
                new DescribeProducersRequestData.TopicRequest().setName("orders").setPartitionIndexes(List.of(0, 1)),
                new DescribeProducersRequestData.TopicRequest().setName("payments").setPartitionIndexes(List.of(0))));
    }
}
