package io.portcullis.tests.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.tests.support.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/**
 * Real Kafka clients through the proxy (kafka-clients' producer, consumer and admin, and kcat),
 * judged by topic, role and clientID rules: what is allowed arrives whole, what is denied fails
 * the client with the authorization error it names and never reaches the broker.
 */
class KafkaClientsTest extends KafkaOnAgent {
    @Test
    void allowedRecordsAreProducedAndConsumedEveryOne() throws Exception {
        apply(ORDERS);
        String run = UUID.randomUUID().toString();
        long before = endOffset("orders");
        List<String> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = producer("orders-writer", true)) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String value = run + "-" + i;
                sent.add(value);
                acks.add(producer.send(new ProducerRecord<>("orders", "key-" + i, value)));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
        }
        assertThat(endOffset("orders") - before).isEqualTo(200);
        try (KafkaConsumer<String, String> consumer = consumer("orders-reader")) {
            assertThat(consume(consumer, "orders", run, 200)).containsExactlyElementsOf(sent);
            consumer.commitSync();
        }
        JsonNode produce = accessLog.await(kafka("request", "Produce", "orders-writer"));
        assertThat(produce.path("verdict").asText()).isEqualTo("forwarded");
        assertThat(produce.path("policy").asText()).isEqualTo("default/kafka-ingress");
        assertThat(produce.path("observationPoint").asText()).isEqualTo("ingress");
        assertThat(produce.path("kafka").path("topics").toString()).isEqualTo("[\"orders\"]");
        assertThat(produce.path("kafka").path("apiVersion").asInt()).isLessThanOrEqualTo(12);
        JsonNode response = accessLog.await(kafka("response", "Produce", "orders-writer"));
        assertThat(response.path("latencyNs").asLong()).isPositive();
        JsonNode fetch = accessLog.await(kafka("request", "Fetch", "orders-reader"));
        assertThat(fetch.path("verdict").asText()).isEqualTo("forwarded");
        assertThat(fetch.path("kafka").path("apiVersion").asInt()).as("capped to a version with topic names")
                .isLessThanOrEqualTo(12);
    }

    @Test
    void aDeniedMetadataGivesTheProducerAnAuthorizationErrorAtOnce() throws Exception {
        apply(ORDERS);
        long before = endOffset("payments");
        long started = System.nanoTime();
        try (KafkaProducer<String, String> producer = producer("payments-writer-1", true)) {
            Future<RecordMetadata> ack = producer.send(new ProducerRecord<>("payments", "k", "v"));
            assertThatThrownBy(ack::get).satisfies(e -> assertThat(rootCause(e))
                    .isInstanceOf(TopicAuthorizationException.class));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("no retrying until max.block.ms")
                .isLessThan(Duration.ofSeconds(4));
        assertThat(endOffset("payments")).isEqualTo(before);
        JsonNode denied = accessLog.await(kafka("response", "Metadata", "payments-writer-1")
                .and(r -> "denied".equals(r.path("verdict").asText())));
        assertThat(denied.path("kafka").path("errorCode").asInt()).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
    }

    @Test
    void aDeniedProduceNeverReachesTheBroker() throws Exception {
        apply("kafka: [{apiKey: apiversions}, {apiKey: metadata}, {apiKey: initproducerid},"
                + " {apiKey: produce, topic: orders}]");
        long before = endOffset("payments");
        try (KafkaProducer<String, String> producer = producer("payments-writer-2", true)) {
            Future<RecordMetadata> ack = producer.send(new ProducerRecord<>("payments", "k", "v"));
            assertThatThrownBy(ack::get).satisfies(e -> assertThat(rootCause(e))
                    .isInstanceOf(TopicAuthorizationException.class));
        }
        assertThat(endOffset("payments")).isEqualTo(before);
        JsonNode request = accessLog.await(kafka("request", "Produce", "payments-writer-2"));
        assertThat(request.path("verdict").asText()).isEqualTo("denied");
        assertThat(request.path("reason").asText()).contains("topic \"payments\"");
        JsonNode response = accessLog.await(kafka("response", "Produce", "payments-writer-2"));
        assertThat(response.path("kafka").path("errorCode").asInt()).isEqualTo(29);
    }

    @Test
    void aDeniedConsumeFailsTheConsumer() throws Exception {
        apply(ORDERS);
        try (KafkaConsumer<String, String> consumer = consumer("payments-reader")) {
            consumer.subscribe(List.of("payments"));
            assertThatThrownBy(() -> {
                for (int i = 0; i < 50; i++) {
                    consumer.poll(Duration.ofMillis(200));
                }
            }).isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void roleProduceAndRoleConsumeAllowWhatTheyName() throws Exception {
        String run = UUID.randomUUID().toString();
        apply("kafka: [{role: produce}]");
        try (KafkaProducer<String, String> producer = producer("role-writer", false)) {
            producer.send(new ProducerRecord<>("orders", "k", run)).get();
        }
        try (KafkaConsumer<String, String> consumer = consumer("role-reader")) {
            assertThatThrownBy(() -> consume(consumer, "orders", run, 1))
                    .isInstanceOf(GroupAuthorizationException.class);
        }

        apply("kafka: [{role: consume}]");
        try (KafkaConsumer<String, String> consumer = consumer("role-reader")) {
            assertThat(consume(consumer, "orders", run, 1)).containsExactly(run);
        }
        long before = endOffset("orders");
        try (KafkaProducer<String, String> producer = producer("role-writer", false)) {
            Future<RecordMetadata> ack = producer.send(new ProducerRecord<>("orders", "k", run + "-refused"));
            assertThatThrownBy(ack::get).satisfies(e -> assertThat(rootCause(e))
                    .isInstanceOf(TopicAuthorizationException.class));
        }
        assertThat(endOffset("orders")).isEqualTo(before);
    }

    @Test
    void aClientIdRuleAdmitsOnlyThatClient() throws Exception {
        apply("kafka: [{clientID: trusted}]");
        long before = endOffset("payments");
        try (KafkaProducer<String, String> producer = producer("trusted", true)) {
            producer.send(new ProducerRecord<>("payments", "k", "trusted")).get();
        }
        assertThat(endOffset("payments")).isEqualTo(before + 1);
        long started = System.nanoTime();
        try (KafkaProducer<String, String> producer = producer("stranger", true)) {
            // The handshake goes on (kafka-clients cannot report an error on ApiVersions); the next
            // request's deny is an authorization error the client names.
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("payments", "k", "stranger")).get())
                    .satisfies(e -> assertThat(rootCause(e)).isInstanceOf(AuthorizationException.class));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("no retrying until max.block.ms")
                .isLessThan(Duration.ofSeconds(4));
        try (KafkaConsumer<String, String> consumer = consumer("stranger")) {
            consumer.subscribe(List.of("payments"));
            assertThatThrownBy(() -> {
                for (int i = 0; i < 50; i++) {
                    consumer.poll(Duration.ofMillis(200));
                }
            }).isInstanceOf(AuthorizationException.class);
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                AdminClientConfig.CLIENT_ID_CONFIG, "stranger", AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000))) {
            assertThatThrownBy(() -> admin.describeCluster().clusterId().get())
                    .satisfies(e -> assertThat(rootCause(e)).isInstanceOf(AuthorizationException.class));
        }
        assertThat(endOffset("payments")).isEqualTo(before + 1);
        JsonNode handshake = accessLog.await(kafka("response", "ApiVersions", "stranger"));
        assertThat(handshake.path("verdict").asText()).isEqualTo("denied");
        assertThat(accessLog.await(kafka("request", "ApiVersions", "stranger")).path("verdict").asText())
                .isEqualTo("denied");
    }

    @Test
    void withoutL7RulesKafkaPassesButIsStillFramedAndLogged() throws Exception {
        apply("");
        long before = endOffset("payments");
        try (KafkaProducer<String, String> producer = producer("l4-writer", true)) {
            producer.send(new ProducerRecord<>("payments", "k", "v")).get();
        }
        assertThat(endOffset("payments")).isEqualTo(before + 1);
        JsonNode record = accessLog.await(kafka("request", "Produce", "l4-writer"));
        assertThat(record.path("verdict").asText()).isEqualTo("forwarded");
        assertThat(record.path("reason").asText()).contains("no L7 rules");
        assertThat(record.path("kafka").path("topics").isNull()).as("not decoded without topic rules").isTrue();
    }

    @Test
    void kcatProducesConsumesAndIsRefused() throws Exception {
        apply(ORDERS);
        String run = UUID.randomUUID().toString();
        Path input = Files.write(dir.resolve("kcat-" + run + ".txt"), List.of(run + "-a", run + "-b", run + "-c"));
        ProcessRunner.Result produced = ProcessRunner.run(List.of("kcat", "-b", bootstrap(), "-t", "orders", "-P",
                "-l", input.toString()));
        assertThat(produced.exitCode()).as(produced.stderr()).isZero();

        ProcessRunner.Result consumed = ProcessRunner.run(List.of("kcat", "-b", bootstrap(), "-t", "orders", "-C",
                "-o", "beginning", "-e", "-q"));
        assertThat(consumed.exitCode()).as(consumed.stderr()).isZero();
        assertThat(consumed.stdout().lines().filter(l -> l.startsWith(run)))
                .containsExactly(run + "-a", run + "-b", run + "-c");

        long before = endOffset("payments");
        Path refused = Files.write(dir.resolve("kcat-refused-" + run + ".txt"), List.of(run + "-x"));
        ProcessRunner.Result denied = ProcessRunner.run(List.of("kcat", "-b", bootstrap(), "-t", "payments", "-P",
                "-l", refused.toString(), "-X", "message.timeout.ms=5000"));
        assertThat(denied.exitCode()).isNotZero();
        assertThat(denied.stderr()).containsIgnoringCase("authoriz");
        assertThat(endOffset("payments")).isEqualTo(before);
    }
}
