package io.portcullis.policy.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.policy.kafka.SimpleKafkaRequest;
import io.portcullis.policy.load.LoadResult;
import io.portcullis.policy.load.PolicyLoader;
import io.portcullis.policy.model.KafkaApiKeys;
import io.portcullis.policy.model.Policy;
import io.portcullis.policy.model.Protocol;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyExplainerTest {
    private static final List<Policy> EXAMPLES = examples();

    private static List<Policy> examples() {
        LoadResult result = PolicyLoader.load(Path.of("..", "config", "examples", "policies"));
        assertThat(result.errors()).isEmpty();
        return result.policies();
    }

    private static Explanation explain(ExplainRequest request) {
        return PolicyExplainer.explain(EXAMPLES, request);
    }

    @Test
    void namesTheHttpRuleThatAllowedAndTheNamespaceOfEachSide() {
        Explanation explanation = explain(ExplainRequest.connection("role=frontend", "app=api", 80, Protocol.TCP)
                .withHttp("GET", "/public/index.html", Map.of()));
        assertThat(explanation.verdict()).isEqualTo("allowed");
        assertThat(explanation.policy()).isEqualTo("default/api-allow");
        assertThat(explanation.reason()).isEqualTo("allowed by policy \"default/api-allow\""
                + " ingress[0].toPorts[0].rules.http[0] (GET /public/index.html)");
        assertThat(explanation.source()).isEqualTo("role=frontend in namespace default");
        assertThat(explanation.sourceNamespace()).isEqualTo("default");
        assertThat(explanation.destinationNamespace()).isEqualTo("default");
        assertThat(explanation.request()).isEqualTo("GET /public/index.html");
        DirectionExplanation ingress = explanation.directions().get(1);
        assertThat(ingress).isEqualTo(new DirectionExplanation("ingress", "app=api in namespace default", true,
                "allowed", "default/api-allow", "ingress[0].toPorts[0].rules.http[0]", "GET /public/index.html matches"
                        + " policy \"default/api-allow\" ingress[0].toPorts[0].rules.http[0]"));
        DirectionExplanation egress = explanation.directions().get(0);
        assertThat(egress.enforced()).isFalse();
        assertThat(egress.reason()).isEqualTo("no policy selects role=frontend in namespace default for egress, so"
                + " egress is not enforced");
    }

    @Test
    void aNamespacedPolicyDoesNotSpeakForOtherNamespaces() {
        Explanation elsewhere = explain(ExplainRequest.connection("role=frontend", "app=api", 80, Protocol.TCP)
                .inNamespaces("shop", "shop"));
        assertThat(elsewhere.verdict()).isEqualTo("allowed");
        assertThat(elsewhere.destination()).isEqualTo("app=api in namespace shop");
        assertThat(elsewhere.directions().get(1).enforced()).isFalse();
        Explanation crossing = explain(ExplainRequest.connection("role=frontend", "app=api", 80, Protocol.TCP)
                .inNamespaces("shop", null).withHttp("GET", "/health", Map.of()));
        assertThat(crossing.verdict()).isEqualTo("denied");
        assertThat(crossing.sourceNamespace()).isEqualTo("shop");
        assertThat(crossing.reason()).isEqualTo("ingress is default-deny for app=api in namespace default (selected by"
                + " policy \"default/api-allow\"): no rule allows role=frontend in namespace shop on port 80/TCP;"
                + " no L7 rules apply on 80/TCP, so the request is not inspected");
    }

    @Test
    void saysWhyARequestIsDenied() {
        Explanation explanation = explain(ExplainRequest.connection("role=frontend", "app=api", 80, Protocol.TCP)
                .withHttp("GET", "/publicity", Map.of()));
        assertThat(explanation.verdict()).isEqualTo("denied");
        assertThat(explanation.policy()).isEqualTo("default/api-allow");
        assertThat(explanation.directions().get(1).reason()).isEqualTo("no L7 rule matches GET /publicity; requests"
                + " on port 80/TCP are judged by the L7 rules of policy \"default/api-allow\" ingress[0].toPorts[0]");
    }

    @Test
    void listsTheL7RulesWhenNoRequestIsGiven() {
        Explanation explanation = explain(ExplainRequest.connection("role=frontend", "app=api", 80, Protocol.TCP));
        assertThat(explanation.verdict()).isEqualTo("l7");
        assertThat(explanation.reason()).isEqualTo("requests on 80/TCP are judged by L7 rules; give an HTTP, gRPC or"
                + " Kafka request to judge one");
        assertThat(explanation.l7Rules()).containsExactly(
                "policy \"default/api-allow\" ingress[0].toPorts[0].rules.http[0]: method=GET path=/public/.*",
                "policy \"default/api-allow\" ingress[0].toPorts[0].rules.http[1]: method=GET path=/health");
        assertThat(explanation.directions().get(1).verdict()).isEqualTo("l7");
    }

    @Test
    void explainsDefaultDenyAndDenyRules() {
        Explanation other = explain(ExplainRequest.connection("role=other", "app=api", 80, Protocol.TCP));
        assertThat(other.verdict()).isEqualTo("denied");
        assertThat(other.reason()).isEqualTo("ingress is default-deny for app=api in namespace default (selected by"
                + " policy \"default/api-allow\"): no rule allows role=other in namespace default on port 80/TCP");

        Explanation metadata = explain(ExplainRequest.connection("app=api", "169.254.169.254", 80, Protocol.TCP));
        assertThat(metadata.verdict()).isEqualTo("denied");
        assertThat(metadata.policy()).isEqualTo("default/api-egress");
        assertThat(metadata.destination()).isEqualTo("cidr:169.254.169.254/32");
        assertThat(metadata.destinationNamespace()).isNull();
        assertThat(metadata.reason()).isEqualTo("denied by egressDeny: policy \"default/api-egress\" egressDeny[0]");
    }

    @Test
    void resolvesAddressesAndEntities() {
        Explanation payments = explain(ExplainRequest.connection("app=api", "10.20.1.1", 443, Protocol.TCP));
        assertThat(payments.verdict()).isEqualTo("allowed");
        assertThat(payments.destination()).isEqualTo("cidr:10.20.0.0/16");
        assertThat(payments.directions().get(0).rule()).isEqualTo("egress[1].toPorts[0]");
        assertThat(explain(ExplainRequest.connection("app=api", "10.20.99.1", 443, Protocol.TCP)).verdict())
                .isEqualTo("denied");
        assertThat(explain(ExplainRequest.connection("app=api", "host", 53, Protocol.UDP)).verdict())
                .isEqualTo("allowed");
        Explanation fromWorld = explain(ExplainRequest.connection("world", "app=api", 80, Protocol.TCP));
        assertThat(fromWorld.source()).isEqualTo("reserved:world");
        assertThat(fromWorld.sourceNamespace()).isNull();
        assertThat(fromWorld.verdict()).isEqualTo("denied");
        assertThatThrownBy(() -> explain(ExplainRequest.connection("cluster", "app=api", 80, Protocol.TCP)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("group of identities");
        assertThatThrownBy(() -> explain(ExplainRequest.connection("world", "app=api", 80, Protocol.TCP)
                .inNamespaces("shop", null))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a namespace belongs to a source given by labels");
    }

    @Test
    void judgesGrpcCalls() {
        Explanation call = explain(ExplainRequest.connection("app=client", "app=greeter", 50051, Protocol.TCP)
                .withGrpc("helloworld.Greeter", "SayHello"));
        assertThat(call.verdict()).isEqualTo("allowed");
        assertThat(call.request()).isEqualTo("gRPC helloworld.Greeter/SayHello");
        assertThat(call.directions().get(1).rule()).isEqualTo("ingress[0].toPorts[0].rules.grpc[0]");
        Explanation refused = explain(ExplainRequest.connection("app=client", "app=greeter", 50051, Protocol.TCP)
                .withGrpc("helloworld.Greeter", "SayGoodbye"));
        assertThat(refused.verdict()).isEqualTo("denied");
        assertThat(refused.directions().get(1).reason()).startsWith("no L7 rule matches gRPC"
                + " helloworld.Greeter/SayGoodbye;");
    }

    @Test
    void judgesKafkaRequests() {
        Explanation rules = explain(ExplainRequest.connection("role=producer", "app=kafka", 9092, Protocol.TCP));
        assertThat(rules.verdict()).isEqualTo("l7");
        assertThat(rules.l7Rules()).containsExactly("policy \"orders-kafka\" ingress[0].toPorts[0].rules.kafka[0]:"
                + " kafka apiKeys=[produce, metadata, apiversions, initproducerid] topic=orders");
        Explanation produce = explain(ExplainRequest.connection("role=producer", "app=kafka", 9092, Protocol.TCP)
                .inNamespaces("billing", "data")
                .withKafka(new SimpleKafkaRequest(KafkaApiKeys.PRODUCE, 9, "billing", Set.of("orders"))));
        assertThat(produce.verdict()).isEqualTo("allowed");
        assertThat(produce.policy()).isEqualTo("orders-kafka");
        assertThat(produce.request()).isEqualTo("Kafka produce v9 clientID=billing topics [orders]");
        assertThat(produce.directions().get(1).rule()).isEqualTo("ingress[0].toPorts[0].rules.kafka[0]");
        assertThat(produce.sourceNamespace()).isEqualTo("billing");
        assertThat(produce.destinationNamespace()).isEqualTo("data");
        Explanation audit = explain(ExplainRequest.connection("role=producer", "app=kafka", 9092, Protocol.TCP)
                .withKafka(new SimpleKafkaRequest(KafkaApiKeys.PRODUCE, 9, "billing", Set.of("audit"))));
        assertThat(audit.verdict()).isEqualTo("denied");
        assertThat(audit.reason()).isEqualTo("no Kafka rule of policy \"orders-kafka\" ingress[0].toPorts[0] allows"
                + " topic \"audit\" (Kafka produce v9 clientID=billing topics [audit])");
    }
}
