package io.portcullis.workloads.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Proves the fixture: a real broker that kafka-clients can produce to and consume from. */
class KafkaBrokerTest {

    @Test
    void producesAndConsumesTenRecords() throws Exception {
        long started = System.nanoTime();
        KafkaBroker broker = new KafkaBroker().start();
        System.out.printf("KafkaBroker started in %d ms%n", (System.nanoTime() - started) / 1_000_000);
        try (broker) {
            broker.createTopic("orders", 1);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>("orders", "key-" + i, "value-" + i)).get();
                }
            }
            List<String> values = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
                    ConsumerConfig.GROUP_ID_CONFIG, "fixture-test",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                    new StringDeserializer())) {
                consumer.subscribe(List.of("orders"));
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (values.size() < 10 && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                        values.add(record.value());
                    }
                }
                consumer.commitSync();
            }
            assertThat(values).containsExactly("value-0", "value-1", "value-2", "value-3", "value-4", "value-5",
                    "value-6", "value-7", "value-8", "value-9");
        }
        long stopped = System.nanoTime();
        System.out.printf("KafkaBroker test done in %d ms%n", (stopped - started) / 1_000_000);
    }

    @Test
    void advertisesTheConfiguredListenerToClientsOnly() throws Exception {
        try (KafkaBroker broker = new KafkaBroker().advertisedListener("127.0.0.1", 15001).start()) {
            broker.createTopic("payments", 2);
            MetadataResponse metadata = metadata(broker.bootstrap(), "payments");
            assertThat(metadata.brokers()).extracting(Node::host, Node::port).containsExactly(tuple("127.0.0.1", 15001));
            assertThat(metadata.topicMetadata()).singleElement()
                    .satisfies(topic -> assertThat(topic.partitionMetadata()).hasSize(2));
        }
    }

    /** One Metadata round trip on a plain socket: a client would go on to the advertised address. */
    private static MetadataResponse metadata(String bootstrap, String topic) throws Exception {
        String[] hostPort = bootstrap.split(":");
        MetadataRequest request = new MetadataRequest.Builder(List.of(topic), false).build();
        RequestHeader header = new RequestHeader(ApiKeys.METADATA, request.version(), "fixture-test", 1);
        ByteBuffer payload = request.serializeWithHeader(header);
        try (Socket socket = new Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(payload.remaining());
            out.write(payload.array(), payload.arrayOffset() + payload.position(), payload.remaining());
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] response = new byte[in.readInt()];
            in.readFully(response);
            return (MetadataResponse) AbstractResponse.parseResponse(ByteBuffer.wrap(response), header);
        }
    }
}
