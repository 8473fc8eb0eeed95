package io.portcullis.tests.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Raw Kafka frames from endpoint "raw" (127.0.0.3): a request is judged whole, pipelined answers
 * keep their order around a deny, and a frame the proxy cannot read closes the connection with
 * nothing forwarded.
 */
class KafkaFramingTest extends KafkaOnAgent {
    @Test
    void oneProduceNamingAnAllowedAndAForbiddenTopicIsDeniedWhole() throws Exception {
        apply(ORDERS);
        long orders = endOffset("orders");
        long payments = endOffset("payments");
        ProduceRequest produce = RawFrames.produce((short) 9, (short) 1, "orders", "payments");
        try (RawKafkaClient client = new RawKafkaClient(RAW, proxy)) {
            client.send(RawKafkaClient.frame(produce, 5));
            ByteBuffer frame = client.readFrame();
            ProduceResponse response = (ProduceResponse) RawKafkaClient.parse(frame, produce, 5);
            assertThat(response.errorCounts()).containsExactly(Map.entry(Errors.TOPIC_AUTHORIZATION_FAILED, 2));
        }
        assertThat(endOffset("orders")).isEqualTo(orders);
        assertThat(endOffset("payments")).isEqualTo(payments);
    }

    @Test
    void pipelinedRequestsKeepTheirOrderAroundADeny() throws Exception {
        apply(ORDERS);
        long orders = endOffset("orders");
        MetadataRequest metadata = new MetadataRequest.Builder(List.of("orders"), false).build((short) 12);
        ProduceRequest denied = RawFrames.produce((short) 9, (short) 1, "payments");
        ApiVersionsRequest versions = new ApiVersionsRequest.Builder().build((short) 3);
        ProduceRequest allowed = RawFrames.produce((short) 9, (short) 1, "orders");
        try (RawKafkaClient client = new RawKafkaClient(RAW, proxy)) {
            client.send(RawKafkaClient.frame(metadata, 11), RawKafkaClient.frame(denied, 12),
                    RawKafkaClient.frame(versions, 13), RawKafkaClient.frame(allowed, 14));
            List<ByteBuffer> responses = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                responses.add(client.readFrame());
            }
            assertThat(responses).extracting(RawKafkaClient::correlationId).containsExactly(11, 12, 13, 14);
            MetadataResponse meta = (MetadataResponse) RawKafkaClient.parse(responses.get(0), metadata, 11);
            assertThat(meta.topicMetadata()).singleElement().satisfies(t -> assertThat(t.error()).isEqualTo(Errors.NONE));
            assertThat(((ProduceResponse) RawKafkaClient.parse(responses.get(1), denied, 12)).errorCounts())
                    .containsKey(Errors.TOPIC_AUTHORIZATION_FAILED);
            assertThat(((ProduceResponse) RawKafkaClient.parse(responses.get(3), allowed, 14)).errorCounts())
                    .containsOnlyKeys(Errors.NONE);
        }
        assertThat(endOffset("orders")).isEqualTo(orders + 1);
    }

    static Stream<Arguments> badFrames() {
        return Stream.of(
                Arguments.of("negative size", RawFrames.sizeOnly(-1)),
                Arguments.of("oversized size", RawFrames.sizeOnly(Integer.MAX_VALUE)),
                Arguments.of("frame shorter than its header", RawFrames.shorterThanHeader()),
                Arguments.of("unparseable body", RawFrames.truncatedProduceBody()),
                Arguments.of("unknown api key", RawFrames.header((short) 999, (short) 0)),
                Arguments.of("unsupported version", RawFrames.header((short) 0, (short) 99)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFrames")
    void badInputClosesTheConnectionAndNothingReachesTheBroker(String name, byte[] bad) throws Exception {
        apply(ORDERS);
        long before = endOffset("orders");
        try (RawKafkaClient client = new RawKafkaClient(RAW, proxy)) {
            // A valid Produce right behind the bad frame must not be forwarded either.
            client.send(bad, RawKafkaClient.frame(RawFrames.produce((short) 9, (short) 1, "orders"), 2));
            assertThat(client.closedByPeer()).as("connection closed").isTrue();
        }
        Thread.sleep(200);
        assertThat(endOffset("orders")).isEqualTo(before);
    }

    @Test
    void aPortSpeaksOnlyTheProtocolOfItsRules() throws Exception {
        apply(ORDERS);
        try (RawKafkaClient client = new RawKafkaClient(RAW, proxy)) {
            client.send("GET / HTTP/1.1\r\nHost: kafka\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(client.closedByPeer()).as("HTTP on the Kafka port is closed, not answered").isTrue();
        }
        try (RawKafkaClient client = new RawKafkaClient(RAW, httpPort)) {
            client.send(RawKafkaClient.frame(new ApiVersionsRequest.Builder().build((short) 3), 1));
            assertThat(client.closedByPeer()).as("Kafka on the HTTP port is closed").isTrue();
        }
    }
}
