package io.portcullis.policy.resolve;

import static io.portcullis.policy.resolve.PolicyFixtures.cnp;
import static io.portcullis.policy.resolve.PolicyFixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.IdentityAllocator;
import io.portcullis.policy.kafka.KafkaRequestView;
import io.portcullis.policy.kafka.SimpleKafkaRequest;
import io.portcullis.policy.model.KafkaApiKeys;
import io.portcullis.policy.model.Protocol;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class KafkaDecisionTest {
    private final IdentityAllocator ids = new IdentityAllocator();
    private final Identity client = PolicyFixtures.endpoint(ids, "default", "role=client");
    private final Identity broker = PolicyFixtures.endpoint(ids, "default", "app=kafka");

    private ConnectionRules ingress(String kafkaRules) {
        return snapshot(cnp("kafka-in", """
                endpointSelector: {matchLabels: {app: kafka}}
                ingress:
                  - toPorts:
                      - ports: [{port: 9092, protocol: TCP}]
                        rules:
                          kafka: %s
                """.formatted(kafkaRules))).connection(client, broker, 9092, Protocol.TCP);
    }

    private static SimpleKafkaRequest request(int apiKey, String clientId, String... topics) {
        return new SimpleKafkaRequest(apiKey, 9, clientId, Set.of(topics));
    }

    @Test
    void roleProduceAllowsItsApisOnItsTopicOnly() {
        ConnectionRules rules = ingress("[{role: produce, topic: orders}]");
        assertThat(rules.decideKafka(request(KafkaApiKeys.PRODUCE, "c", "orders")).allowed()).isTrue();
        assertThat(rules.decideKafka(request(KafkaApiKeys.METADATA, "c", "orders")).allowed()).isTrue();
        assertThat(rules.decideKafka(request(KafkaApiKeys.API_VERSIONS, "c")).allowed()).isTrue();
        assertThat(rules.decideKafka(request(KafkaApiKeys.FETCH, "c", "orders")).allowed()).isFalse();
        Decision other = rules.decideKafka(request(KafkaApiKeys.PRODUCE, "c", "payments"));
        assertThat(other.allowed()).isFalse();
        assertThat(other.reason()).contains("topic \"payments\"");
        assertThat(other.policy()).isEqualTo("default/kafka-in");
        assertThat(other.observationPoint()).isEqualTo(Direction.INGRESS);
    }

    @Test
    void everyTopicOfARequestMustBeAllowed() {
        ConnectionRules rules = ingress("[{role: produce, topic: orders}, {apiKey: produce, topic: audit}]");
        assertThat(rules.decideKafka(request(KafkaApiKeys.PRODUCE, "c", "orders", "audit")).allowed()).isTrue();
        assertThat(rules.decideKafka(request(KafkaApiKeys.PRODUCE, "c", "orders", "payments")).allowed()).isFalse();
        assertThat(rules.decideKafka(request(KafkaApiKeys.METADATA, "c", "orders", "audit")).allowed()).isFalse();
    }

    @Test
    void unknowableTopicsAreDeniedUnderTopicRulesOnly() {
        SimpleKafkaRequest allTopics = new SimpleKafkaRequest(KafkaApiKeys.METADATA, 12, "c", null);
        Decision denied = ingress("[{role: produce, topic: orders}]").decideKafka(allTopics);
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.reason()).contains("cannot be listed");
        assertThat(ingress("[{role: produce}]").decideKafka(allTopics).allowed()).isTrue();
        assertThat(ingress("[{role: produce, topic: orders}, {apiKey: metadata}]").decideKafka(allTopics).allowed())
                .isTrue();
    }

    @Test
    void headerFieldsAloneDecideWithoutTopicRules() {
        ConnectionRules rules = ingress("[{apiKey: fetch, clientID: reader}, {apiKey: listoffsets, apiVersion: 9}]");
        AtomicInteger topicReads = new AtomicInteger();
        KafkaRequestView counting = new KafkaRequestView() {
            public int apiKey() {
                return KafkaApiKeys.FETCH;
            }

            public int apiVersion() {
                return 12;
            }

            public String clientId() {
                return "reader";
            }

            public Set<String> topics() {
                topicReads.incrementAndGet();
                return Set.of("x");
            }
        };
        assertThat(rules.decideKafka(counting).allowed()).isTrue();
        assertThat(rules.decideKafka(request(KafkaApiKeys.FETCH, "writer", "x")).allowed()).isFalse();
        assertThat(rules.decideKafka(request(KafkaApiKeys.LIST_OFFSETS, "any", "x")).allowed()).isTrue();
        assertThat(rules.decideKafka(new SimpleKafkaRequest(KafkaApiKeys.LIST_OFFSETS, 8, "any", Set.of()))
                .allowed()).isFalse();
        assertThat(topicReads).hasValue(0);
        assertThat(rules.kafkaTopicRules()).isFalse();
        assertThat(ingress("[{topic: a}]").kafkaTopicRules()).isTrue();
    }

    @Test
    void egressAndIngressBothApplyInOnePass() {
        ConnectionRules rules = snapshot(cnp("kafka-in", """
                endpointSelector: {matchLabels: {app: kafka}}
                ingress:
                  - toPorts:
                      - ports: [{port: 9092, protocol: TCP}]
                        rules:
                          kafka: [{role: consume}]
                """), cnp("client-out", """
                endpointSelector: {matchLabels: {role: client}}
                egress:
                  - toPorts:
                      - ports: [{port: 9092, protocol: TCP}]
                        rules:
                          kafka: [{topic: orders}]
                """)).connection(client, broker, 9092, Protocol.TCP);
        Decision allowed = rules.decideKafka(request(KafkaApiKeys.FETCH, "c", "orders"));
        assertThat(allowed.allowed()).isTrue();
        assertThat(allowed.observationPoint()).isEqualTo(Direction.EGRESS);
        assertThat(allowed.policy()).isEqualTo("default/client-out");
        Decision produce = rules.decideKafka(request(KafkaApiKeys.PRODUCE, "c", "orders"));
        assertThat(produce.allowed()).isFalse();
        assertThat(produce.observationPoint()).isEqualTo(Direction.INGRESS);
        Decision topic = rules.decideKafka(request(KafkaApiKeys.FETCH, "c", "payments"));
        assertThat(topic.allowed()).isFalse();
        assertThat(topic.observationPoint()).isEqualTo(Direction.EGRESS);
    }

    @Test
    void portKindFollowsTheRules() {
        assertThat(ingress("[{role: consume}]").kafkaPort()).isTrue();
        assertThat(ingress("[{role: consume}]").httpPort()).isFalse();
        ConnectionRules http = snapshot(cnp("web", """
                endpointSelector: {matchLabels: {app: kafka}}
                ingress:
                  - toPorts:
                      - ports: [{port: 9092, protocol: TCP}]
                        rules:
                          http: [{method: GET}]
                """)).connection(client, broker, 9092, Protocol.TCP);
        assertThat(http.httpPort()).isTrue();
        assertThat(http.kafkaPort()).isFalse();
        assertThat(http.decideKafka(request(KafkaApiKeys.API_VERSIONS, "c")).allowed()).isFalse();
        ConnectionRules open = snapshot(cnp("open", """
                endpointSelector: {matchLabels: {app: kafka}}
                ingress:
                  - toPorts:
                      - ports: [{port: 9092, protocol: TCP}]
                """)).connection(client, broker, 9092, Protocol.TCP);
        assertThat(open.kafkaPort()).isFalse();
        assertThat(open.httpPort()).isFalse();
        assertThat(open.decideKafka(request(KafkaApiKeys.PRODUCE, "c", "x")).allowed()).isTrue();
    }
}
