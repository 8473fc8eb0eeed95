package io.portcullis.proxy.kafka;

import static io.portcullis.proxy.kafka.KafkaWire.frames;
import static io.portcullis.proxy.kafka.KafkaWire.request;
import static io.portcullis.proxy.kafka.KafkaWire.response;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.portcullis.config.KafkaConfig;
import io.portcullis.parsers.kafka.KafkaFrameDecoder;
import io.portcullis.policy.http.HttpRequestView;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.kafka.KafkaRequestView;
import io.portcullis.policy.model.Protocol;
import io.portcullis.policy.resolve.ConnectionRules;
import io.portcullis.policy.resolve.Decision;
import io.portcullis.policy.resolve.Direction;
import io.portcullis.policy.resolve.L4Verdict;
import io.portcullis.policy.resolve.PolicySnapshot;
import io.portcullis.proxy.accesslog.AccessLogEntry;
import io.portcullis.proxy.context.ConnectionContext;
import io.portcullis.proxy.context.Endpoint;
import io.portcullis.proxy.policy.ConnectionPolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client side in one EmbeddedChannel, the broker connection in another: ordering of denies
 * among forwarded responses, pass-through, version capping, Metadata denies and fail-closed paths.
 * The policy denies any request naming the topic "secret" and allows the rest.
 */
class KafkaProxyHandlerTest {
    private static final short PRODUCE_V = 9;
    private static final short METADATA_V = 12;
    private static final short LIST_OFFSETS_V = 7;

    private final List<AccessLogEntry> log = new ArrayList<>();
    private EmbeddedChannel upstream;
    private EmbeddedChannel client;
    private boolean topicRules = true;
    private boolean denyApiVersions;
    private int maxReadResponseBytes = KafkaConfig.DEFAULTS.maxReadResponseBytes();
    /** The policy refuses every request by its API key alone, without looking at topics. */
    private boolean denyByApiKey;

    private EmbeddedChannel client() {
        InetAddress lo = InetAddress.getLoopbackAddress();
        ConnectionContext context = new ConnectionContext(new Endpoint(Identity.WORLD, null, Identity.WORLD.labels(), lo,
                4000), new Endpoint(Identity.HOST, "kafka", Identity.HOST.labels(), lo, 9092),
                new InetSocketAddress(lo, 9));
        client = new EmbeddedChannel();
        client.attr(ConnectionPolicy.CHANNEL_ATTRIBUTE).set(new ConnectionPolicy(() -> policy(), context));
        upstream = new EmbeddedChannel();
        client.pipeline().addLast(new KafkaFrameDecoder(1 << 20), new KafkaProxyHandler((loop, address, mark, events) -> {
            KafkaConnector.initPipeline(upstream, events);
            return upstream.newSucceededFuture();
        }, log::add, maxReadResponseBytes));
        client.pipeline().fireChannelActive();
        return client;
    }

    private PolicySnapshot policy() {
        return new PolicySnapshot() {
            @Override
            public long revision() {
                return 1;
            }

            @Override
            public ConnectionRules connection(Identity source, Identity destination, int port, Protocol protocol) {
                return new ConnectionRules() {
                    @Override
                    public L4Verdict l4() {
                        return L4Verdict.L7;
                    }

                    @Override
                    public Decision decideHttp(HttpRequestView request) {
                        return new Decision(false, "p", Direction.INGRESS, "no", List.of());
                    }

                    @Override
                    public Decision decideKafka(KafkaRequestView request) {
                        if (denyByApiKey) {
                            return new Decision(false, "kafka-policy", Direction.INGRESS, "api key not allowed",
                                    List.of());
                        }
                        Set<String> topics = topicRules ? request.topics() : Set.of();
                        boolean allowed = topics != null && !topics.contains("secret")
                                && !(denyApiVersions && request.apiKey() == ApiKeys.API_VERSIONS.id);
                        return new Decision(allowed, "kafka-policy", Direction.INGRESS, allowed ? "ok" : "secret topic",
                                List.of());
                    }

                    @Override
                    public boolean kafkaTopicRules() {
                        return topicRules;
                    }
                };
            }
        };
    }

    @AfterEach
    void close() {
        client.finishAndReleaseAll();
        upstream.finishAndReleaseAll();
    }

    private static ByteBuf produceResponse(int correlationId) {
        return response(ApiKeys.PRODUCE, PRODUCE_V, correlationId, new ProduceResponseData());
    }

    @Test
    void aDenyBetweenForwardedRequestsKeepsItsPlace() {
        client();
        ByteBuf batch = Unpooled.buffer();
        batch.writeBytes(request(KafkaWire.produce(PRODUCE_V, (short) 1, "orders"), 1));
        batch.writeBytes(request(KafkaWire.produce(PRODUCE_V, (short) 1, "orders", "secret"), 2));
        batch.writeBytes(request(KafkaWire.produce(PRODUCE_V, (short) 1, "orders"), 3));
        client.writeInbound(batch);

        List<ByteBuf> forwarded = frames(upstream);
        assertThat(forwarded).extracting(KafkaWire::requestCorrelationId).containsExactly(1, 3);
        assertThat(frames(client)).as("the deny waits for response 1").isEmpty();

        upstream.writeInbound(produceResponse(1));
        List<ByteBuf> first = frames(client);
        assertThat(first).extracting(KafkaWire::correlationId).containsExactly(1, 2);
        ProduceResponse denied = (ProduceResponse) KafkaWire.parse(first.get(1), ApiKeys.PRODUCE, PRODUCE_V);
        assertThat(denied.errorCounts()).containsEntry(Errors.TOPIC_AUTHORIZATION_FAILED, 2);

        upstream.writeInbound(produceResponse(3));
        assertThat(frames(client)).extracting(KafkaWire::correlationId).containsExactly(3);
        assertThat(log).filteredOn(e -> e.type() == AccessLogEntry.Type.RESPONSE)
                .extracting(e -> e.kafka().correlationId(), AccessLogEntry::verdict)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, AccessLogEntry.Verdict.FORWARDED),
                        org.assertj.core.groups.Tuple.tuple(2, AccessLogEntry.Verdict.DENIED),
                        org.assertj.core.groups.Tuple.tuple(3, AccessLogEntry.Verdict.FORWARDED));
        assertThat(log.get(1).kafka().topics()).containsExactly("orders", "secret");
        assertThat(client.isOpen()).isTrue();
    }

    @Test
    void forwardedFramesAndResponsesPassByteForByte() {
        topicRules = false;
        client();
        ByteBuf sent = request(KafkaWire.produce(PRODUCE_V, (short) 1, "orders"), 7);
        byte[] expected = ByteBufUtil.getBytes(sent);
        client.writeInbound(sent);
        assertThat(ByteBufUtil.getBytes(frames(upstream).get(0))).isEqualTo(expected);
        assertThat(log.get(0).kafka().topics()).as("header-only: body not decoded").isNull();

        ByteBuf answer = produceResponse(7);
        byte[] answerBytes = ByteBufUtil.getBytes(answer);
        // Split mid-head to exercise the framer's reassembly.
        upstream.writeInbound(answer.retainedSlice(0, 3));
        upstream.writeInbound(answer.retainedSlice(3, answer.readableBytes() - 3));
        answer.release();
        assertThat(ByteBufUtil.getBytes(frames(client).get(0))).isEqualTo(answerBytes);
    }

    @Test
    void aListOffsetsDeniedByItsApiKeyIsLoggedWithItsTopics() {
        topicRules = false;
        denyByApiKey = true;
        client();
        List<ListOffsetsRequestData.ListOffsetsTopic> topics = List.of(new ListOffsetsRequestData.ListOffsetsTopic()
                .setName("orders").setPartitions(List.of(new ListOffsetsRequestData.ListOffsetsPartition()
                        .setPartitionIndex(0).setTimestamp(-1))));
        client.writeInbound(request(ListOffsetsRequest.Builder.forConsumer(false, IsolationLevel.READ_UNCOMMITTED)
                .setTargetTimes(topics).build(LIST_OFFSETS_V), 8));

        assertThat(frames(upstream)).isEmpty();
        assertThat(frames(client)).extracting(KafkaWire::correlationId).containsExactly(8);
        assertThat(log).extracting(AccessLogEntry::type, AccessLogEntry::verdict).containsExactly(
                org.assertj.core.groups.Tuple.tuple(AccessLogEntry.Type.REQUEST, AccessLogEntry.Verdict.DENIED),
                org.assertj.core.groups.Tuple.tuple(AccessLogEntry.Type.RESPONSE, AccessLogEntry.Verdict.DENIED));
        assertThat(log).allSatisfy(e -> {
            assertThat(e.kafka().apiKey()).isEqualTo(ApiKeys.LIST_OFFSETS.name);
            assertThat(e.kafka().topics()).containsExactly("orders");
        });
    }

    @Test
    void aDeniedAcksZeroProduceIsLoggedButNotAnswered() {
        client();
        client.writeInbound(request(KafkaWire.produce(PRODUCE_V, (short) 0, "secret"), 4));
        client.writeInbound(request(KafkaWire.produce(PRODUCE_V, (short) 1, "secret"), 5));
        assertThat(frames(upstream)).isEmpty();
        assertThat(frames(client)).extracting(KafkaWire::correlationId).containsExactly(5);
        assertThat(log).extracting(e -> e.kafka().correlationId(), AccessLogEntry::type).containsExactly(
                org.assertj.core.groups.Tuple.tuple(4, AccessLogEntry.Type.REQUEST),
                org.assertj.core.groups.Tuple.tuple(5, AccessLogEntry.Type.REQUEST),
                org.assertj.core.groups.Tuple.tuple(5, AccessLogEntry.Type.RESPONSE));
        assertThat(log.get(2).kafka().errorCode()).isEqualTo((int) Errors.TOPIC_AUTHORIZATION_FAILED.code());
    }

    @Test
    void aResponseWithTheWrongCorrelationIdClosesBoth() {
        client();
        client.writeInbound(request(KafkaWire.produce(PRODUCE_V, (short) 1, "orders"), 1));
        frames(upstream);
        upstream.writeInbound(produceResponse(2));
        assertThat(client.isOpen()).isFalse();
        assertThat(upstream.isOpen()).isFalse();
        assertThat(frames(client)).isEmpty();
    }

    @Test
    void badInputClosesAndForwardsNothingAfterIt() {
        client();
        ByteBuf batch = Unpooled.buffer().writeInt(-5);
        batch.writeBytes(request(KafkaWire.produce(PRODUCE_V, (short) 1, "orders"), 1));
        client.writeInbound(batch);
        assertThat(client.isOpen()).isFalse();
        assertThat(frames(upstream)).isEmpty();
        assertThat(log).singleElement().satisfies(e -> {
            assertThat(e.verdict()).isEqualTo(AccessLogEntry.Verdict.ERROR);
            assertThat(e.reason()).contains("negative Kafka frame size");
        });
    }

    @Test
    void anUnparseableBodyUnderTopicRulesCloses() {
        client();
        ByteBuf good = request(new MetadataRequest.Builder(List.of("orders"), false).build(METADATA_V), 1);
        // Cut the body short and fix up the size: the header parses, the body does not.
        ByteBuf cut = Unpooled.buffer().writeInt(good.readableBytes() - 4 - 3)
                .writeBytes(good, 4, good.readableBytes() - 4 - 3);
        good.release();
        client.writeInbound(cut);
        assertThat(client.isOpen()).isFalse();
        assertThat(frames(upstream)).isEmpty();
        assertThat(log).singleElement().satisfies(e -> assertThat(e.reason()).contains("malformed Metadata"));
    }

    @Test
    void apiVersionsAreCappedToWhatThePolicyCanJudge() {
        client();
        short version = 3;
        client.writeInbound(request(new ApiVersionsRequest.Builder().build(version), 1));
        assertThat(frames(upstream)).hasSize(1);
        ApiVersionsResponseData.ApiVersionCollection advertised = new ApiVersionsResponseData.ApiVersionCollection();
        advertised.add(new ApiVersionsResponseData.ApiVersion().setApiKey(ApiKeys.PRODUCE.id).setMinVersion((short) 3)
                .setMaxVersion((short) 13));
        advertised.add(new ApiVersionsResponseData.ApiVersion().setApiKey(ApiKeys.FETCH.id).setMinVersion((short) 4)
                .setMaxVersion((short) 99));
        advertised.add(new ApiVersionsResponseData.ApiVersion().setApiKey(ApiKeys.METADATA.id).setMinVersion((short) 0)
                .setMaxVersion((short) 99));
        advertised.add(new ApiVersionsResponseData.ApiVersion().setApiKey((short) 999).setMinVersion((short) 0)
                .setMaxVersion((short) 1));
        upstream.writeInbound(response(ApiKeys.API_VERSIONS, version, 1,
                new ApiVersionsResponseData().setApiKeys(advertised)));

        ApiVersionsResponse capped = (ApiVersionsResponse) KafkaWire.parse(frames(client).get(0), ApiKeys.API_VERSIONS,
                version);
        assertThat(capped.apiVersion(ApiKeys.PRODUCE.id).maxVersion()).isEqualTo((short) 12);
        assertThat(capped.apiVersion(ApiKeys.FETCH.id).maxVersion()).isEqualTo((short) 12);
        assertThat(capped.apiVersion(ApiKeys.METADATA.id).maxVersion()).isEqualTo(ApiKeys.METADATA.latestVersion());
        assertThat(capped.apiVersion(ApiKeys.METADATA.id).minVersion()).isEqualTo(ApiKeys.METADATA.oldestVersion());
        assertThat(capped.data().apiKeys().find((short) 999)).isNull();
    }

    @Test
    void aDeniedMetadataAsksTheBrokerForBrokersFirst() {
        client();
        client.writeInbound(request(new MetadataRequest.Builder(List.of("secret"), false).build(METADATA_V), 8));
        List<ByteBuf> asked = frames(upstream);
        assertThat(asked).singleElement().satisfies(f -> assertThat(KafkaWire.requestCorrelationId(f)).isEqualTo(8));
        MetadataRequest brokersOnly = (MetadataRequest) io.portcullis.parsers.kafka.KafkaRequestFrame.parse(
                asked.get(0).retain()).request();
        assertThat(brokersOnly.data().topics()).isEmpty();

        upstream.writeInbound(response(ApiKeys.METADATA, METADATA_V, 8, KafkaWire.metadata(1, "proxy.example", 9092)));
        MetadataResponse denied = (MetadataResponse) KafkaWire.parse(frames(client).get(0), ApiKeys.METADATA,
                METADATA_V);
        assertThat(denied.brokers()).extracting(n -> n.host() + ":" + n.port()).containsExactly("proxy.example:9092");
        assertThat(denied.topicMetadata()).singleElement().satisfies(t -> {
            assertThat(t.topic()).isEqualTo("secret");
            assertThat(t.error()).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED);
        });

        // The brokers are known now: the next deny is answered at once.
        client.writeInbound(request(new MetadataRequest.Builder(List.of("secret"), false).build(METADATA_V), 9));
        assertThat(frames(upstream)).isEmpty();
        assertThat(frames(client)).extracting(KafkaWire::correlationId).containsExactly(9);
    }

    @Test
    void fetchesAreMadeSessionlessUnderTopicRules() {
        client();
        java.util.Map<TopicPartition, FetchRequest.PartitionData> partitions = new java.util.LinkedHashMap<>();
        partitions.put(new TopicPartition("orders", 0), new FetchRequest.PartitionData(Uuid.ZERO_UUID, 0, 0, 1024,
                java.util.Optional.empty()));
        FetchRequest fetch = FetchRequest.Builder.forConsumer((short) 12, 100, 1, partitions)
                .metadata(org.apache.kafka.common.requests.FetchMetadata.INITIAL).build((short) 12);
        // A full fetch that would start a session (id 0, epoch 0).
        assertThat(fetch.data().sessionEpoch()).isZero();
        client.writeInbound(request(fetch, 3));
        ByteBuf forwarded = frames(upstream).get(0);
        FetchRequestData data = ((FetchRequest) io.portcullis.parsers.kafka.KafkaRequestFrame.parse(forwarded.retain())
                .request()).data();
        assertThat(data.sessionEpoch()).isEqualTo(-1);
        assertThat(data.sessionId()).isZero();
        assertThat(data.topics()).singleElement().satisfies(t -> assertThat(t.topic()).isEqualTo("orders"));
    }

    @Test
    void aMetadataResponseTeachesTheBrokers() {
        client();
        client.writeInbound(request(new MetadataRequest.Builder(List.of("orders"), false).build(METADATA_V), 1));
        frames(upstream);
        MetadataResponseData known = KafkaWire.metadata(3, "10.0.0.3", 9093);
        upstream.writeInbound(response(ApiKeys.METADATA, METADATA_V, 1, known));
        assertThat(frames(client)).hasSize(1);
        client.writeInbound(request(new MetadataRequest.Builder(List.of("secret"), false).build(METADATA_V), 2));
        assertThat(frames(upstream)).isEmpty();
        MetadataResponse denied = (MetadataResponse) KafkaWire.parse(frames(client).get(0), ApiKeys.METADATA,
                METADATA_V);
        assertThat(denied.brokers()).extracting(n -> n.id()).containsExactly(3);
    }

    @Test
    void aDeniedApiVersionsIsAnsweredWithTheBrokersVersionsAskedByTheProxy() {
        denyApiVersions = true;
        client();
        short version = 3;
        client.writeInbound(request(new ApiVersionsRequest.Builder(
                new org.apache.kafka.common.message.ApiVersionsRequestData().setClientSoftwareName("denied-software")
                        .setClientSoftwareVersion("6.6.6"), version, version).build(version), 4));
        ByteBuf asked = frames(upstream).get(0);
        ApiVersionsRequest own = (ApiVersionsRequest) io.portcullis.parsers.kafka.KafkaRequestFrame.parse(
                asked.retain()).request();
        assertThat(own.data().clientSoftwareName()).as("the proxy's own request, not the denied one's bytes")
                .isNotEqualTo("denied-software");
        assertThat(KafkaWire.requestCorrelationId(asked)).isEqualTo(4);
        ApiVersionsResponseData.ApiVersionCollection advertised = new ApiVersionsResponseData.ApiVersionCollection();
        advertised.add(new ApiVersionsResponseData.ApiVersion().setApiKey(ApiKeys.PRODUCE.id).setMinVersion((short) 3)
                .setMaxVersion((short) 13));
        upstream.writeInbound(response(ApiKeys.API_VERSIONS, version, 4,
                new ApiVersionsResponseData().setApiKeys(advertised)));

        ApiVersionsResponse answer = (ApiVersionsResponse) KafkaWire.parse(frames(client).get(0), ApiKeys.API_VERSIONS,
                version);
        assertThat(answer.data().errorCode()).isZero();
        assertThat(answer.apiVersion(ApiKeys.PRODUCE.id).maxVersion()).as("capped as for any client").isEqualTo((short) 12);
        assertThat(log).filteredOn(e -> e.type() == AccessLogEntry.Type.RESPONSE).singleElement()
                .satisfies(e -> assertThat(e.verdict()).isEqualTo(AccessLogEntry.Verdict.DENIED));
    }

    @Test
    void aResponseBeyondTheReadLimitClosesBoth() {
        maxReadResponseBytes = 256;
        client();
        short version = 3;
        client.writeInbound(request(new ApiVersionsRequest.Builder().build(version), 1));
        frames(upstream);
        ApiVersionsResponseData.ApiVersionCollection advertised = new ApiVersionsResponseData.ApiVersionCollection();
        for (ApiKeys api : ApiKeys.values()) {
            advertised.add(new ApiVersionsResponseData.ApiVersion().setApiKey(api.id).setMaxVersion((short) 9));
        }
        upstream.writeInbound(response(ApiKeys.API_VERSIONS, version, 1,
                new ApiVersionsResponseData().setApiKeys(advertised)));
        assertThat(client.isOpen()).isFalse();
        assertThat(upstream.isOpen()).isFalse();
        assertThat(frames(client)).isEmpty();
    }
}
