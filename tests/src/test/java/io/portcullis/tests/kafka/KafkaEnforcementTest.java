package io.portcullis.tests.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.agent.Agent;
import io.portcullis.config.AgentConfigLoader;
import io.portcullis.tests.support.AccessLogFile;
import io.portcullis.tests.support.ProcessRunner;
import io.portcullis.workloads.kafka.KafkaBroker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent ({@code datapath: none}) in front of a real KRaft broker that advertises the proxy's
 * address, driven by kafka-clients' producer, consumer and admin, kcat, and raw sockets. The
 * broker and its clients share 127.0.0.1 (endpoint "kafka", app=kafka); raw sockets also come from
 * 127.0.0.3 (endpoint "raw"). What reached the broker is checked on its internal listener, which
 * bypasses the proxy. Each test writes the policy it needs.
 */
class KafkaEnforcementTest {
    private static final String RAW = "127.0.0.3";
    /** Produce and consume "orders" only; the produce role covers idempotent producers' InitProducerId. */
    private static final String ORDERS = "kafka: [{role: produce, topic: orders}, {role: consume, topic: orders}]";

    @TempDir
    static Path dir;
    static KafkaBroker broker;
    static Agent agent;
    static InetSocketAddress proxy;
    static InetSocketAddress httpPort;
    static AccessLogFile accessLog;
    static Path policyFile;
    static String currentRules;
    static int webPort;

    @BeforeAll
    static void start() throws Exception {
        int proxyPort = freePort();
        webPort = freePort();
        broker = new KafkaBroker().advertisedListener("127.0.0.1", proxyPort).start();
        broker.createTopic("orders", 1);
        broker.createTopic("payments", 1);
        Path policies = Files.createDirectories(dir.resolve("policies"));
        policyFile = policies.resolve("kafka.yaml");
        currentRules = ORDERS;
        Files.writeString(policyFile, policy(ORDERS));
        Path config = Files.writeString(dir.resolve("agent.yaml"), """
                datapath: none
                policyDir: policies
                accessLog: access.log
                workerThreads: 1
                endpoints:
                  - {name: kafka, labels: {app: kafka}, ips: [127.0.0.1]}
                  - {name: raw, labels: {role: raw}, ips: [127.0.0.3]}
                listeners:
                  - {port: %d, upstream: "%s"}
                  - {port: 0, upstream: "127.0.0.1:%d"}
                """.formatted(proxyPort, broker.bootstrap(), webPort));
        agent = Agent.start(AgentConfigLoader.load(config));
        proxy = agent.listenAddresses().get(0);
        httpPort = agent.listenAddresses().get(1);
        accessLog = new AccessLogFile(dir.resolve("access.log"));
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    /** The broker port's rules ({@code kafka: [...]}, or empty for L3/L4 only); the web port has HTTP rules. */
    static String policy(String rules) {
        String l7 = rules.isEmpty() ? "" : "\n          rules:\n            " + rules;
        return """
                apiVersion: cilium.io/v2
                kind: CiliumNetworkPolicy
                metadata:
                  name: kafka-ingress
                spec:
                  endpointSelector:
                    matchLabels: {app: kafka}
                  ingress:
                    - fromEndpoints: [{matchLabels: {app: kafka}}, {matchLabels: {role: raw}}]
                      toPorts:
                        - ports: [{port: "%d", protocol: TCP}]%s
                    - fromEndpoints: [{matchLabels: {app: kafka}}, {matchLabels: {role: raw}}]
                      toPorts:
                        - ports: [{port: "%d", protocol: TCP}]
                          rules:
                            http: [{method: GET}]
                """.formatted(broker.port(), l7, webPort);
    }

    /** Writes the policy and waits until the agent runs it (it promises to within a second). */
    static void apply(String rules) throws Exception {
        if (rules.equals(currentRules)) {
            return;
        }
        long revision = agent.policyRevision();
        Files.writeString(policyFile, policy(rules));
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (agent.policyRevision() == revision) {
            assertThat(System.nanoTime()).as("policy applied within 5 s; errors: " + agent.policyErrors())
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(agent.policyErrors()).isEmpty();
        assertThat(agent.awaitProxyApplied(Duration.ofSeconds(5))).as("the proxy judges by the new policy").isTrue();
        currentRules = rules;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    private static String bootstrap() {
        return "127.0.0.1:" + proxy.getPort();
    }

    private static KafkaProducer<String, String> producer(String clientId, boolean idempotent) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, idempotent);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10000);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(String clientId) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "group-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    /** The end offset of partition 0, asked on the broker's internal listener (not through the proxy). */
    private static long endOffset(String topic) throws Exception {
        TopicPartition tp = new TopicPartition(topic, 0);
        return broker.admin().listOffsets(Map.of(tp, OffsetSpec.latest())).all().get().get(tp).offset();
    }

    /** Values starting with {@code prefix} read from {@code topic} until {@code count} arrived or 20 s passed. */
    private static List<String> consume(KafkaConsumer<String, String> consumer, String topic, String prefix, int count) {
        consumer.subscribe(List.of(topic));
        List<String> values = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (values.size() < count && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.value().startsWith(prefix)) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }

    private static Predicate<JsonNode> kafka(String type, String apiKey, String clientId) {
        return r -> type.equals(r.path("type").asText()) && "kafka".equals(r.path("l7Protocol").asText())
                && apiKey.equals(r.path("kafka").path("apiKey").asText())
                && clientId.equals(r.path("kafka").path("clientId").asText());
    }

    private static Throwable rootCause(Throwable t) {
        return t instanceof ExecutionException && t.getCause() != null ? t.getCause() : t;
    }

    // ------------------------------------------------------------------ kafka-clients

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

    // ------------------------------------------------------------------ raw sockets

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

    // ------------------------------------------------------------------ kcat

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
