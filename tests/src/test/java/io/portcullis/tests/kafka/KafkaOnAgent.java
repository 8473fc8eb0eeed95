package io.portcullis.tests.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.agent.Agent;
import io.portcullis.config.AgentConfigLoader;
import io.portcullis.tests.support.AccessLogFile;
import io.portcullis.workloads.kafka.KafkaBroker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture of the Kafka end-to-end tests: the agent ({@code datapath: none}) in front of a real
 * KRaft broker that advertises the proxy's address. The broker and its clients share 127.0.0.1
 * (endpoint "kafka", app=kafka); raw sockets also come from 127.0.0.3 (endpoint "raw"). What
 * reached the broker is checked on its internal listener, which bypasses the proxy. Each test
 * writes the policy it needs ({@link #apply}); each subclass gets a broker and an agent of its own.
 */
abstract class KafkaOnAgent {
    static final String RAW = "127.0.0.3";
    /** Produce and consume "orders" only; the produce role covers idempotent producers' InitProducerId. */
    static final String ORDERS = "kafka: [{role: produce, topic: orders}, {role: consume, topic: orders}]";

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

    static String bootstrap() {
        return "127.0.0.1:" + proxy.getPort();
    }

    static KafkaProducer<String, String> producer(String clientId, boolean idempotent) {
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

    static KafkaConsumer<String, String> consumer(String clientId) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "group-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    /** The end offset of partition 0, asked on the broker's internal listener (not through the proxy). */
    static long endOffset(String topic) throws Exception {
        TopicPartition tp = new TopicPartition(topic, 0);
        return broker.admin().listOffsets(Map.of(tp, OffsetSpec.latest())).all().get().get(tp).offset();
    }

    /** Values starting with {@code prefix} read from {@code topic} until {@code count} arrived or 20 s passed. */
    static List<String> consume(KafkaConsumer<String, String> consumer, String topic, String prefix, int count) {
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

    static Predicate<JsonNode> kafka(String type, String apiKey, String clientId) {
        return r -> type.equals(r.path("type").asText()) && "kafka".equals(r.path("l7Protocol").asText())
                && apiKey.equals(r.path("kafka").path("apiKey").asText())
                && clientId.equals(r.path("kafka").path("clientId").asText());
    }

    static Throwable rootCause(Throwable t) {
        return t instanceof ExecutionException && t.getCause() != null ? t.getCause() : t;
    }
}
