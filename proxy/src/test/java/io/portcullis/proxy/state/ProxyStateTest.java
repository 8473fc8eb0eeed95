package io.portcullis.proxy.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.api.WireJson;
import io.portcullis.api.feed.FeedMessage;
import io.portcullis.api.feed.Snapshot;
import io.portcullis.policy.http.SimpleHttpRequest;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.Labels;
import io.portcullis.policy.model.Protocol;
import io.portcullis.policy.resolve.Audit;
import io.portcullis.policy.resolve.L4Verdict;
import io.portcullis.proxy.context.Peer;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A feed snapshot becomes the state requests are judged by, or is refused whole. */
class ProxyStateTest {
    private static final String POLICY = """
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata: {name: api-read}
            spec:
              endpointSelector: {matchLabels: {app: api}}
              ingress:
                - fromEndpoints: [{matchLabels: {role: web}}]
                  toPorts:
                    - ports: [{port: "80", protocol: TCP}]
                      rules: {http: [{method: GET, path: "/v1/.*"}]}
            """;
    /** Rules that name what lies beyond the policies: a named port and a service. */
    private static final String NAMED = """
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata: {name: web, namespace: shop}
            spec:
              endpointSelector: {matchLabels: {app: web}}
              ingress:
                - toPorts: [{ports: [{port: http-alt, protocol: TCP}]}]
              egress:
                - toServices: [{k8sService: {serviceName: billing, namespace: shop}}]
            """;

    private static Map<String, String> endpointLabels(String namespace, String key, String value) {
        return Labels.ofEndpoint(namespace, Map.of(key, value)).values();
    }

    private static Snapshot snapshot(String policy) {
        return new Snapshot(7, 3, List.of(new Snapshot.PolicyText("/etc/portcullis/policies/api.yaml", policy)),
                List.of(new Snapshot.IdentityEntry(2, Identity.WORLD.labels().values(), List.of()),
                        new Snapshot.IdentityEntry(256, endpointLabels("default", "role", "web"), List.of()),
                        new Snapshot.IdentityEntry(257, endpointLabels("default", "app", "api"), List.of())),
                List.of(new Snapshot.IpCacheEntry("10.0.0.5/32", 256, "web"),
                        new Snapshot.IpCacheEntry("10.0.0.9/32", 257, "api")),
                List.of());
    }

    @Test
    void theSnapshotJudgesAsTheAgentWould() throws Exception {
        CurrentState state = new CurrentState();
        assertThat(state.policy()).as("no snapshot: no policy, everything denied").isNull();
        state.set(ProxyState.from(snapshot(POLICY)));

        Peer web = state.peers().lookup(InetAddress.getByName("10.0.0.5"));
        Peer api = state.peers().lookup(InetAddress.getByName("10.0.0.9"));
        assertThat(web.endpoint()).isEqualTo("web");
        assertThat(state.peers().lookup(InetAddress.getByName("192.0.2.1")).identity()).isEqualTo(Identity.WORLD);
        assertThat(state.identity(257)).isEqualTo(api.identity());
        var rules = state.policy().connection(web.identity(), api.identity(), 80, Protocol.TCP);
        assertThat(rules.decideHttp(new SimpleHttpRequest("GET", "/v1/items")).allowed()).isTrue();
        assertThat(rules.decideHttp(new SimpleHttpRequest("DELETE", "/v1/items")).allowed()).isFalse();
        assertThat(state.get().orElseThrow().generation()).isEqualTo(7);
        assertThat(state.policy().revision()).isEqualTo(3);
    }

    @Test
    void namedPortsAndServicesComeWithTheSnapshot() {
        Snapshot snapshot = new Snapshot(1, 1, List.of(new Snapshot.PolicyText("web.yaml", NAMED)),
                List.of(new Snapshot.IdentityEntry(2, Identity.WORLD.labels().values(), List.of()),
                        new Snapshot.IdentityEntry(256, endpointLabels("shop", "app", "web"),
                                List.of("http-alt=9443/tcp")),
                        new Snapshot.IdentityEntry(16777217, Map.of("cidr:192.0.2.10/32", ""), List.of())),
                List.of(new Snapshot.IpCacheEntry("10.200.0.5/32", 256, "web"),
                        new Snapshot.IpCacheEntry("192.0.2.10/32", 16777217, null)),
                List.of(new Snapshot.ServiceEntry("billing", "shop", Map.of(), List.of("192.0.2.10/32"))));
        ProxyState state = ProxyState.from(snapshot);
        Identity web = state.identities().get(256);
        Identity billing = state.identities().get(16777217);
        assertThat(state.policy().connection(Identity.WORLD, web, 9443, Protocol.TCP).l4())
                .as("the named port http-alt").isEqualTo(L4Verdict.ALLOWED);
        assertThat(state.policy().connection(Identity.WORLD, web, 9444, Protocol.TCP).l4()).isEqualTo(L4Verdict.DENIED);
        assertThat(state.policy().connection(web, billing, 443, Protocol.TCP).l4())
                .as("a backend of the service billing").isEqualTo(L4Verdict.ALLOWED);
    }

    @Test
    void endpointsInAuditModeComeWithTheSnapshot() {
        Snapshot plain = snapshot(POLICY);
        Snapshot audited = new Snapshot(plain.generation(), plain.policyRevision(), plain.policies(),
                plain.identities(), plain.ipCache(), plain.services(), new Snapshot.AuditModes(false, List.of("api")));
        ProxyState state = ProxyState.from(audited);
        assertThat(state.policy().audit("api")).isEqualTo(Audit.ENDPOINT);
        assertThat(state.policy().audit("web")).isEqualTo(Audit.NONE);
        assertThat(ProxyState.from(plain).policy().audit("api")).isEqualTo(Audit.NONE);
        Snapshot node = new Snapshot(1, 1, List.of(), List.of(), List.of(), List.of(),
                new Snapshot.AuditModes(true, List.of()));
        assertThat(ProxyState.from(node).policy().audit("web")).isEqualTo(Audit.NODE);
    }

    @Test
    void auditModesCrossTheFeedAndAnAgentThatSendsNoneAuditsNothing() throws Exception {
        Snapshot plain = snapshot(POLICY);
        Snapshot audited = new Snapshot(plain.generation(), plain.policyRevision(), plain.policies(),
                plain.identities(), plain.ipCache(), plain.services(), new Snapshot.AuditModes(true, List.of("web")));
        assertThat(WireJson.read(WireJson.line(audited), FeedMessage.class)).isEqualTo(audited);
        String older = new String(WireJson.line(plain), StandardCharsets.UTF_8)
                .replaceFirst(",\"audit\":\\{[^}]*\\}", "");
        assertThat(older).doesNotContain("audit");
        assertThat(((Snapshot) WireJson.read(older, FeedMessage.class)).audit()).isEqualTo(Snapshot.AuditModes.NONE);
    }

    @Test
    void aSnapshotThatDoesNotLoadIsRefusedNamingTheFile() {
        assertThatThrownBy(() -> ProxyState.from(snapshot(POLICY.replace("/v1/.*", "/(open"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("api.yaml");
    }

    @Test
    void anIpcacheEntryOfAnUnknownIdentityIsRefused() {
        Snapshot broken = new Snapshot(1, 1, List.of(), List.of(),
                List.of(new Snapshot.IpCacheEntry("10.0.0.5/32", 999, "web")), List.of());
        assertThatThrownBy(() -> ProxyState.from(broken)).hasMessageContaining("unknown identity 999");
    }
}
