package io.portcullis.parsers.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.DescribeUserScramCredentialsRequest;
import org.apache.kafka.common.requests.DescribeUserScramCredentialsResponse;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Deny responses, parsed back with kafka-clients as a client would read them. */
class KafkaErrorResponsesTest {

    @TestFactory
    Stream<DynamicTest> everyTopicAndPartitionCarriesTheError() {
        List<KafkaTestRequests.Case> cases = new ArrayList<>(KafkaTestRequests.topicCases());
        cases.addAll(KafkaTestRequests.topicFreeCases());
        return cases.stream().flatMap(c -> KafkaRequestTopicsTest.versions(c).stream().map(request ->
                dynamicTest(c.name() + " v" + request.version(), () -> {
                    AbstractResponse response = deny(request, 99);
                    assertThat(errors(response)).isEqualTo(c.errors().apply(request.version()));
                })));
    }

    @Test
    void produceKeepsTopicsPartitionsAndReason() {
        for (short v : new short[] {8, 12, 13}) {
            ProduceResponse response = (ProduceResponse) deny(
                    ProduceRequest.builder(KafkaTestRequests.produce(v >= 13)).build(v), 7);
            assertThat(response.data().responses()).hasSize(2);
            ProduceResponseData.TopicProduceResponse orders = response.data().responses().stream()
                    .filter(t -> v >= 13 ? t.topicId().equals(KafkaTestRequests.ORDERS_ID) : t.name().equals("orders"))
                    .findFirst().orElseThrow();
            assertThat(orders.partitionResponses()).extracting(p -> p.index()).containsExactlyInAnyOrder(0, 1);
            assertThat(orders.partitionResponses().get(0).errorMessage()).isEqualTo("denied by policy");
        }
    }

    @Test
    void produceWithAcksZeroGetsNoResponse() {
        AbstractRequest request = ProduceRequest.builder(KafkaTestRequests.produce(false, (short) 0)).build((short) 9);
        KafkaRequestFrame frame = KafkaTestRequests.decode(request, 1);
        assertThat(frame.acks()).isZero();
        assertThat(frame.expectsResponse()).isFalse();
        assertThat(KafkaErrorResponses.deny(frame, "no")).isNull();
        frame.release();
    }

    @Test
    void acksIsReadWithAndWithoutTransactionalId() {
        for (short v : new short[] {3, 8, 9, 13}) {
            ProduceRequest.Builder builder = ProduceRequest.builder(
                    KafkaTestRequests.produce(v >= 13, (short) 1).setTransactionalId("txn-42"));
            KafkaRequestFrame frame = KafkaTestRequests.decode(builder.build(v), 1);
            assertThat(frame.acks()).as("v" + v).isEqualTo((short) 1);
            assertThat(frame.expectsResponse()).isTrue();
            frame.release();
        }
    }

    @Test
    void fetchErrorIsPerPartitionAndEndsTheSession() {
        for (short v : new short[] {12, 13, 18}) {
            AbstractRequest request = KafkaTestRequests.topicCases().get(1).builder().apply(v).build(v);
            FetchResponse response = (FetchResponse) deny(request, 3);
            assertThat(response.error()).isEqualTo(Errors.NONE);
            assertThat(response.data().sessionId()).isZero();
            FetchResponseData.FetchableTopicResponse first = response.data().responses().get(0);
            if (v >= 13) {
                assertThat(first.topicId()).isEqualTo(KafkaTestRequests.ORDERS_ID);
            } else {
                assertThat(first.topic()).isEqualTo("orders");
            }
            assertThat(first.partitions()).extracting(p -> p.errorCode())
                    .containsExactly(Errors.TOPIC_AUTHORIZATION_FAILED.code(), Errors.TOPIC_AUTHORIZATION_FAILED.code());
        }
    }

    @Test
    void metadataListsTheBrokersTheProxyGives() {
        AbstractRequest request = new MetadataRequest.Builder(List.of("orders"), false).build((short) 12);
        KafkaRequestFrame frame = KafkaTestRequests.decode(request, 5);
        ByteBuf denied = KafkaErrorResponses.deny(frame, "no", List.of(new Node(1, "10.0.0.1", 9092)));
        MetadataResponse response = (MetadataResponse) parse(denied, frame.header());
        frame.release();
        assertThat(response.brokers()).containsExactly(new Node(1, "10.0.0.1", 9092));
        MetadataResponseData.MetadataResponseTopic topic = response.data().topics().iterator().next();
        assertThat(topic.name()).isEqualTo("orders");
        assertThat(topic.errorCode()).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
        assertThat(topic.partitions()).isEmpty();
    }

    @Test
    void apiVersionsNewerThanKnownIsAnsweredAtVersionZero() {
        short future = (short) (ApiKeys.API_VERSIONS.latestVersion() + 3);
        ApiVersionsRequest request = new ApiVersionsRequest(new ApiVersionsRequestData()
                .setClientSoftwareName("x").setClientSoftwareVersion("1"), ApiKeys.API_VERSIONS.latestVersion());
        // Serialise at the newest known version, then claim a newer one in the header, as a newer client would.
        ByteBuf wire = KafkaTestRequests.wire(request, 8);
        wire.setShort(6, future);
        KafkaRequestFrame frame = KafkaRequestFrame.parse(wire);
        assertThat(frame.versionSupported()).isFalse();
        assertThat(frame.topics()).isEqualTo(KafkaTopics.NONE);
        ByteBuf denied = KafkaErrorResponses.deny(frame, "no");
        frame.release();
        denied.skipBytes(4);
        ByteBuffer buffer = denied.nioBuffer();
        assertThat(buffer.getInt()).isEqualTo(8);
        ApiVersionsResponse response = (ApiVersionsResponse) AbstractResponse.parseResponse(
                ApiKeys.API_VERSIONS, new org.apache.kafka.common.protocol.ByteBufferAccessor(buffer), (short) 0);
        assertThat(response.data().errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
        assertThat(response.data().apiKeys().find(ApiKeys.API_VERSIONS.id).maxVersion())
                .as("the client retries with a version the proxy reads").isEqualTo(ApiKeys.API_VERSIONS.latestVersion());
    }

    @Test
    void describingEveryUsersScramCredentialsIsDeniedWithTheTopLevelError() {
        AbstractRequest request = new DescribeUserScramCredentialsRequest.Builder(
                new DescribeUserScramCredentialsRequestData().setUsers(null)).build();
        DescribeUserScramCredentialsResponse response = (DescribeUserScramCredentialsResponse) deny(request, 6);
        KafkaRequestFrame frame = KafkaTestRequests.decode(request, 6);
        assertThat(response.data().errorCode()).isEqualTo(KafkaErrorResponses.errorFor(frame).code())
                .isNotEqualTo(Errors.NONE.code());
        frame.release();
        assertThat(response.data().errorMessage()).isEqualTo("denied by policy");
        assertThat(response.data().results()).isEmpty();
    }

    @Test
    void errorForNamesTheErrorTheDenyCarries() {
        AbstractRequest request = new MetadataRequest.Builder(List.of("orders"), false).build((short) 12);
        KafkaRequestFrame frame = KafkaTestRequests.decode(request, 5);
        assertThat(KafkaErrorResponses.errorFor(frame)).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED);
        frame.release();
    }

    private static AbstractResponse deny(AbstractRequest request, int correlationId) {
        KafkaRequestFrame frame = KafkaTestRequests.decode(request, correlationId);
        try {
            return parse(KafkaErrorResponses.deny(frame, "denied by policy"), frame.header());
        } finally {
            frame.release();
        }
    }

    /** Checks the size prefix and parses the rest; parseResponse checks the correlation id. */
    static AbstractResponse parse(ByteBuf denied, RequestHeader requestHeader) {
        try {
            int size = denied.readInt();
            assertThat(size).isEqualTo(denied.readableBytes());
            return AbstractResponse.parseResponse(denied.nioBuffer(), requestHeader);
        } finally {
            denied.release();
        }
    }

    private static Map<Errors, Integer> errors(AbstractResponse response) {
        Map<Errors, Integer> errors = new HashMap<>(response.errorCounts());
        errors.remove(Errors.NONE);
        return errors;
    }
}
