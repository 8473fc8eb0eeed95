package io.portcullis.policy.explain;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.policy.load.LoadResult;
import io.portcullis.policy.load.PolicyLoader;
import io.portcullis.policy.model.Policy;
import io.portcullis.policy.model.Protocol;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditExplanationTest {
    private static final String POLICY = """
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata:
              name: api-dry-run
              annotations: {portcullis.io/audit: "%s"}
            spec:
              endpointSelector: {matchLabels: {app: api}}
              ingress:
                - fromEndpoints: [{matchLabels: {role: web}}]
                  toPorts:
                    - ports: [{port: 80, protocol: TCP}]
                      rules: {http: [{method: GET, path: /public}]}
            """;

    private static List<Policy> policies(boolean audit) {
        LoadResult result = PolicyLoader.parse("p.yaml", POLICY.formatted(audit));
        assertThat(result.errors()).isEmpty();
        return result.policies();
    }

    private static Explanation explain(boolean audit, String path) {
        return PolicyExplainer.explain(policies(audit), ExplainRequest.connection("role=web", "app=api", 80,
                Protocol.TCP).withHttp("GET", path, Map.of()));
    }

    @Test
    void saysWhenAuditIsWhatLetsARequestThrough() {
        Explanation audited = explain(true, "/private");
        assertThat(audited.verdict()).isEqualTo("audit");
        assertThat(audited.policy()).isEqualTo("default/api-dry-run");
        assertThat(audited.reason()).isEqualTo("audit: no L7 rule of policy \"default/api-dry-run\""
                + " ingress[0].toPorts[0] matches the request; forwarded because policy \"default/api-dry-run\" is"
                + " in audit mode (annotation portcullis.io/audit) (GET /private)");
        assertThat(audited.directions()).extracting(DirectionExplanation::verdict).containsExactly("allowed", "audit");
        assertThat(explain(true, "/public").verdict()).isEqualTo("allowed");
    }

    @Test
    void withoutTheAnnotationTheSameRequestIsDenied() {
        Explanation denied = explain(false, "/private");
        assertThat(denied.verdict()).isEqualTo("denied");
        assertThat(denied.reason()).doesNotContain("audit");
        assertThat(denied.directions()).extracting(DirectionExplanation::verdict).containsExactly("allowed", "denied");
    }

    @Test
    void aConnectionOnlyAnAuditPolicyRefusesIsAnsweredAudit() {
        Explanation audited = PolicyExplainer.explain(policies(true), ExplainRequest.connection("role=other",
                "app=api", 80, Protocol.TCP));
        assertThat(audited.verdict()).isEqualTo("audit");
        assertThat(audited.reason()).startsWith("audit: ingress is default-deny").contains("in audit mode");
    }
}
