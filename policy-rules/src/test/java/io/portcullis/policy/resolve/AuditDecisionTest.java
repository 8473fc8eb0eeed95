package io.portcullis.policy.resolve;

import static io.portcullis.policy.resolve.PolicyFixtures.audited;
import static io.portcullis.policy.resolve.PolicyFixtures.cnp;
import static io.portcullis.policy.resolve.PolicyFixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.policy.http.SimpleHttpRequest;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.IdentityAllocator;
import io.portcullis.policy.kafka.SimpleKafkaRequest;
import io.portcullis.policy.model.KafkaApiKeys;
import io.portcullis.policy.model.Protocol;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuditDecisionTest {
    private static final String API_L7_FROM_WEB = """
            endpointSelector: {matchLabels: {app: api}}
            ingress:
              - fromEndpoints: [{matchLabels: {role: web}}]
                toPorts:
                  - ports: [{port: 80, protocol: TCP}]
                    rules: {http: [{method: GET, path: /public}]}
            """;
    private static final String API_FROM_WEB_80 = """
            endpointSelector: {matchLabels: {app: api}}
            ingress:
              - fromEndpoints: [{matchLabels: {role: web}}]
                toPorts: [{ports: [{port: 80, protocol: TCP}]}]
            """;

    private final IdentityAllocator ids = new IdentityAllocator();
    private final Identity web = PolicyFixtures.endpoint(ids, "default", "role=web");
    private final Identity other = PolicyFixtures.endpoint(ids, "default", "role=other");
    private final Identity api = PolicyFixtures.endpoint(ids, "default", "app=api");

    private static SimpleHttpRequest get(String path) {
        return new SimpleHttpRequest("GET", path, Map.of());
    }

    @Test
    void whatOnlyAnAuditPolicyDeniesIsForwardedAsAuditNamingTheRule() {
        CompiledPolicySnapshot snapshot = snapshot(audited(cnp("api-dry-run", API_L7_FROM_WEB)));
        ConnectionRules fromOther = snapshot.connection(other, api, 80, Protocol.TCP);
        assertThat(fromOther.l4()).isEqualTo(L4Verdict.ALLOWED);
        Decision l4 = fromOther.l4Audit();
        assertThat(l4.allowed()).isFalse();
        assertThat(l4.forwarded()).isTrue();
        assertThat(l4.audit()).isEqualTo(Audit.POLICY);
        assertThat(l4.policy()).isEqualTo("default/api-dry-run");
        assertThat(l4.reason()).startsWith("audit: ingress is default-deny")
                .endsWith("forwarded because policy \"default/api-dry-run\" is in audit mode"
                        + " (annotation portcullis.io/audit)");

        ConnectionRules fromWeb = snapshot.connection(web, api, 80, Protocol.TCP);
        assertThat(fromWeb.l4()).isEqualTo(L4Verdict.L7);
        assertThat(fromWeb.decideHttp(get("/public")).allowed()).isTrue();
        Decision refused = fromWeb.decideHttp(get("/private"));
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.audit()).isEqualTo(Audit.POLICY);
        assertThat(refused.reason()).contains("no L7 rule of policy \"default/api-dry-run\" ingress[0].toPorts[0]");
        assertThat(fromWeb.l4Audit()).isNull();
    }

    @Test
    void anAuditPolicyNeitherLiftsNorWidensWhatTheOthersEnforce() {
        String allowsOther = """
                endpointSelector: {matchLabels: {app: api}}
                ingress: [{fromEndpoints: [{matchLabels: {role: other}}]}]
                """;
        CompiledPolicySnapshot snapshot = snapshot(cnp("api", API_FROM_WEB_80),
                audited(cnp("api-next", allowsOther)));
        ConnectionRules fromOther = snapshot.connection(other, api, 80, Protocol.TCP);
        assertThat(fromOther.l4()).isEqualTo(L4Verdict.DENIED);
        Decision denied = fromOther.decideHttp(get("/"));
        assertThat(denied.forwarded()).isFalse();
        assertThat(denied.audit()).isEqualTo(Audit.NONE);
        assertThat(denied.policy()).isEqualTo("default/api");
        assertThat(snapshot.connection(web, api, 80, Protocol.TCP).l4()).isEqualTo(L4Verdict.ALLOWED);
        assertThat(snapshot.connection(web, api, 80, Protocol.TCP).l4Audit()).isNull();
    }

    @Test
    void anAuditDenyRuleOverAnEnforcedAllowIsAudited() {
        String denyWeb = """
                endpointSelector: {matchLabels: {app: api}}
                ingressDeny: [{fromEndpoints: [{matchLabels: {role: web}}]}]
                """;
        ConnectionRules rules = snapshot(cnp("api", API_FROM_WEB_80), audited(cnp("lockdown", denyWeb)))
                .connection(web, api, 80, Protocol.TCP);
        assertThat(rules.l4()).isEqualTo(L4Verdict.ALLOWED);
        assertThat(rules.l4Audit().reason()).startsWith("audit: denied by ingressDeny: policy \"default/lockdown\""
                + " ingressDeny[0]");
    }

    @Test
    void anEndpointInAuditModeForwardsWhatItsOwnRulesDeny() {
        CompiledPolicySnapshot snapshot = snapshot(cnp("api", API_L7_FROM_WEB));
        ConnectionRules enforced = snapshot.connection(other, api, 80, Protocol.TCP);
        assertThat(enforced.l4()).isEqualTo(L4Verdict.DENIED);
        // The source's egress denies nothing: its audit mode changes nothing.
        assertThat(enforced.withAudit(Audit.ENDPOINT, Audit.NONE)).isSameAs(enforced);
        ConnectionRules audited = enforced.withAudit(Audit.NONE, Audit.ENDPOINT);
        assertThat(audited.l4()).isEqualTo(L4Verdict.ALLOWED);
        assertThat(audited.l4Audit().reason()).endsWith("forwarded because the destination endpoint is in audit mode");
        assertThat(enforced.withAudit(Audit.NONE, Audit.ENDPOINT)).isSameAs(audited);

        ConnectionRules l7 = snapshot.connection(web, api, 80, Protocol.TCP).withAudit(Audit.NONE, Audit.NODE);
        assertThat(l7.decideHttp(get("/public")).allowed()).isTrue();
        Decision refused = l7.decideHttp(get("/private"));
        assertThat(refused.audit()).isEqualTo(Audit.NODE);
        assertThat(refused.reason()).endsWith("forwarded because the node is in audit mode (policyAuditMode)");
    }

    @Test
    void anEnforcedRefusalOfOneDirectionBeatsAnAuditedOneOfTheOther() {
        String webEgress = """
                endpointSelector: {matchLabels: {role: web}}
                egress:
                  - toEndpoints: [{matchLabels: {app: api}}]
                    toPorts:
                      - ports: [{port: 80, protocol: TCP}]
                        rules: {http: [{path: /public}]}
                """;
        ConnectionRules rules = snapshot(cnp("web-out", webEgress), cnp("api", API_L7_FROM_WEB))
                .connection(web, api, 80, Protocol.TCP).withAudit(Audit.ENDPOINT, Audit.NONE);
        Decision post = rules.decideHttp(new SimpleHttpRequest("POST", "/public", Map.of()));
        assertThat(post.forwarded()).isFalse();
        assertThat(post.observationPoint()).isEqualTo(Direction.INGRESS);
        Decision egressOnly = rules.decideHttp(get("/private"));
        assertThat(egressOnly.forwarded()).isFalse();
        assertThat(egressOnly.audit()).isEqualTo(Audit.NONE);
    }

    @Test
    void kafkaRequestsAnAuditPolicyRefusesAreAudited() {
        String kafka = """
                endpointSelector: {matchLabels: {app: api}}
                ingress:
                  - toPorts:
                      - ports: [{port: 9092, protocol: TCP}]
                        rules: {kafka: [{role: produce, topic: orders}]}
                """;
        ConnectionRules rules = snapshot(audited(cnp("kafka-dry-run", kafka))).connection(web, api, 9092,
                Protocol.TCP);
        Decision orders = rules.decideKafka(new SimpleKafkaRequest(KafkaApiKeys.PRODUCE, 9, "c", Set.of("orders")));
        assertThat(orders.allowed()).isTrue();
        Decision payments = rules.decideKafka(new SimpleKafkaRequest(KafkaApiKeys.PRODUCE, 9, "c",
                Set.of("payments")));
        assertThat(payments.forwarded()).isTrue();
        assertThat(payments.audit()).isEqualTo(Audit.POLICY);
        assertThat(payments.reason()).contains("topic \"payments\"");
    }

    @Test
    void auditModesKnowEndpointsByNameAndTheNodeAsAWhole() {
        AuditModes some = new AuditModes(false, Set.of("web"));
        assertThat(some.of("web")).isEqualTo(Audit.ENDPOINT);
        assertThat(some.of("api")).isEqualTo(Audit.NONE);
        assertThat(some.of(null)).isEqualTo(Audit.NONE);
        AuditModes node = new AuditModes(true, Set.of());
        assertThat(node.of("api")).isEqualTo(Audit.NODE);
        assertThat(node.of(null)).isEqualTo(Audit.NONE);
    }
}
