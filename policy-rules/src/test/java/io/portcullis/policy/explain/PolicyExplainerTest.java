package io.portcullis.policy.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.policy.load.LoadResult;
import io.portcullis.policy.load.PolicyLoader;
import io.portcullis.policy.model.Policy;
import io.portcullis.policy.resolve.Protocol;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
    void namesTheHttpRuleThatAllowed() {
        Explanation explanation = explain(ExplainRequest.connection("role=frontend", "app=api", 80, Protocol.TCP)
                .withHttp("GET", "/public/index.html", Map.of()));
        assertThat(explanation.verdict()).isEqualTo("allowed");
        assertThat(explanation.policy()).isEqualTo("api-allow");
        assertThat(explanation.reason()).isEqualTo("allowed by policy \"api-allow\" ingress[0].toPorts[0].rules.http[0]"
                + " (GET /public/index.html)");
        DirectionExplanation ingress = explanation.directions().get(1);
        assertThat(ingress).isEqualTo(new DirectionExplanation("ingress", "app=api", true, "allowed", "api-allow",
                "ingress[0].toPorts[0].rules.http[0]", "GET /public/index.html matches policy \"api-allow\""
                        + " ingress[0].toPorts[0].rules.http[0]"));
        DirectionExplanation egress = explanation.directions().get(0);
        assertThat(egress.enforced()).isFalse();
        assertThat(egress.reason()).isEqualTo("no policy selects role=frontend for egress, so egress is not enforced");
    }

    @Test
    void saysWhyARequestIsDenied() {
        Explanation explanation = explain(ExplainRequest.connection("role=frontend", "app=api", 80, Protocol.TCP)
                .withHttp("GET", "/publicity", Map.of()));
        assertThat(explanation.verdict()).isEqualTo("denied");
        assertThat(explanation.policy()).isEqualTo("api-allow");
        assertThat(explanation.directions().get(1).reason()).isEqualTo("no L7 rule matches GET /publicity;"
                + " requests on port 80/TCP are judged by the L7 rules of policy \"api-allow\" ingress[0].toPorts[0]");
    }

    @Test
    void listsTheL7RulesWhenNoRequestIsGiven() {
        Explanation explanation = explain(ExplainRequest.connection("role=frontend", "app=api", 80, Protocol.TCP));
        assertThat(explanation.verdict()).isEqualTo("l7");
        assertThat(explanation.reason()).isEqualTo("requests on 80/TCP are judged by L7 rules; give an HTTP request"
                + " to judge one");
        assertThat(explanation.l7Rules()).containsExactly(
                "policy \"api-allow\" ingress[0].toPorts[0].rules.http[0]: method=GET path=/public/.*",
                "policy \"api-allow\" ingress[0].toPorts[0].rules.http[1]: method=GET path=/health");
        assertThat(explanation.directions().get(1).verdict()).isEqualTo("l7");
    }

    @Test
    void explainsDefaultDenyAndDenyRules() {
        Explanation other = explain(ExplainRequest.connection("role=other", "app=api", 80, Protocol.TCP));
        assertThat(other.verdict()).isEqualTo("denied");
        assertThat(other.reason()).isEqualTo("ingress is default-deny for app=api (selected by policy \"api-allow\"):"
                + " no rule allows role=other on port 80/TCP");

        Explanation metadata = explain(ExplainRequest.connection("app=api", "169.254.169.254", 80, Protocol.TCP));
        assertThat(metadata.verdict()).isEqualTo("denied");
        assertThat(metadata.policy()).isEqualTo("api-egress");
        assertThat(metadata.destination()).isEqualTo("cidr:169.254.169.254/32");
        assertThat(metadata.reason()).isEqualTo("denied by egressDeny: policy \"api-egress\" egressDeny[0]");
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
        assertThat(fromWorld.verdict()).isEqualTo("denied");
        assertThatThrownBy(() -> explain(ExplainRequest.connection("cluster", "app=api", 80, Protocol.TCP)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("group of identities");
    }

    @Test
    void judgesGrpcCallsAsHttp() {
        Explanation call = explain(ExplainRequest.connection("app=client", "app=greeter", 50051, Protocol.TCP)
                .withHttp("POST", "/helloworld.Greeter/SayHello", Map.of("content-type", List.of("application/grpc"))));
        assertThat(call.verdict()).isEqualTo("allowed");
        assertThat(call.directions().get(1).rule()).isEqualTo("ingress[0].toPorts[0].rules.grpc[0]");
        Explanation kafka = explain(ExplainRequest.connection("role=producer", "app=kafka", 9092, Protocol.TCP));
        assertThat(kafka.verdict()).isEqualTo("l7");
        assertThat(kafka.l7Rules()).containsExactly("policy \"orders-kafka\" ingress[0].toPorts[0].rules.kafka[0]:"
                + " kafka apiKeys=[produce, metadata, apiversions, initproducerid] topic=orders");
    }
}
