package io.portcullis.policy.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.IdentityAllocator;
import io.portcullis.policy.identity.IpCache;
import io.portcullis.policy.identity.Labels;
import io.portcullis.policy.load.LoadResult;
import io.portcullis.policy.load.PolicyLoader;
import io.portcullis.policy.model.NamedPort;
import io.portcullis.policy.model.Protocol;
import io.portcullis.policy.resolve.Direction;
import io.portcullis.policy.resolve.L4Verdict;
import io.portcullis.policy.resolve.NamedPorts;
import io.portcullis.policy.resolve.PolicyContext;
import io.portcullis.policy.resolve.PolicyEvaluator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyExportTest {
    private static final Identity API = new Identity(256, Labels.ofEndpoint("default", Map.of("app", "api")));
    private static final Identity FRONTEND = new Identity(257, Labels.ofEndpoint("default", Map.of("role", "frontend")));
    private static final Identity ADMIN = new Identity(258, Labels.ofEndpoint("default", Map.of("role", "admin")));
    /** The api endpoints declare http-alt, which the policy names. */
    private static final PolicyContext CONTEXT = PolicyContext.of(NamedPorts.builder()
            .add(API, List.of(NamedPort.parse("http-alt=9443/tcp"))).build(), List.of(),
            IpCache.builder(new IdentityAllocator()).build());
    private static final List<Identity> ALL = List.of(Identity.UNKNOWN, Identity.HOST, Identity.WORLD, API, FRONTEND,
            ADMIN);

    private static final String POLICY = """
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata:
              name: api
            spec:
              endpointSelector: {matchLabels: {app: api}}
              ingress:
                - fromEndpoints: [{matchLabels: {role: frontend}}]
                  toPorts:
                    - ports: [{port: "80", protocol: TCP}]
                      rules: {http: [{method: GET}]}
                - fromEndpoints: [{matchLabels: {role: frontend}}]
                  toPorts:
                    - ports: [{port: "8000", endPort: 8100, protocol: TCP}]
                - fromEndpoints: [{matchLabels: {role: admin}}]
                - fromEndpoints: [{matchLabels: {role: frontend}}]
                  toPorts:
                    - ports: [{port: http-alt, protocol: TCP}]
                - fromEndpoints: [{matchLabels: {role: frontend}}]
                  icmps: [{fields: [{type: 8}, {type: EchoReply}]}]
              ingressDeny:
                - fromEndpoints: [{matchLabels: {role: admin}}]
                  toPorts:
                    - ports: [{port: "22"}]
            """;

    private static PolicyEvaluator evaluator() {
        LoadResult loaded = PolicyLoader.parse("t.yaml", POLICY);
        assertThat(loaded.errors()).isEmpty();
        return new PolicyEvaluator(loaded.policies(), CONTEXT);
    }

    /** Longest match over the entries, as the LPM trie reads them. */
    private static L4Verdict lookup(List<L4Entry> entries, int local, int remote, Direction direction,
                                    Protocol protocol, int port) {
        L4Entry best = null;
        for (L4Entry e : entries) {
            if (e.localId() != local || e.remoteId() != remote || e.direction() != direction) {
                continue;
            }
            boolean matches = e.protocol() == Protocol.ANY
                    || e.protocol() == protocol && port >= e.fromPort() && port <= e.toPort();
            if (matches && (best == null || rank(e) > rank(best))) {
                best = e;
            }
        }
        return best == null ? null : best.verdict();
    }

    private static int rank(L4Entry e) {
        return e.protocol() == Protocol.ANY ? 0 : e.allPorts() ? 1 : 2;
    }

    @Test
    void entriesReadWithLongestMatchGiveTheEvaluatorsVerdictOnEveryPort() {
        PolicyEvaluator evaluator = evaluator();
        List<L4Entry> entries = new PolicyExport(evaluator).export(List.of(API, FRONTEND), ALL);
        for (Identity local : List.of(API, FRONTEND)) {
            for (Identity remote : List.of(Identity.HOST, Identity.WORLD, API, FRONTEND, ADMIN)) {
                for (Direction direction : Direction.values()) {
                    for (Protocol protocol : List.of(Protocol.TCP, Protocol.UDP, Protocol.ICMP)) {
                        for (int port : new int[] {0, 1, 3, 8, 21, 22, 23, 79, 80, 81, 7999, 8000, 8050, 8100, 8101,
                                9442, 9443, 9444, 65535}) {
                            assertThat(lookup(entries, local.id(), remote.id(), direction, protocol, port))
                                    .as("%s %s %s %s/%d", local.describe(), direction, remote.describe(), protocol, port)
                                    .isEqualTo(evaluator.evaluate(direction, local, remote, port, protocol).verdict());
                        }
                    }
                }
            }
        }
    }

    @Test
    void l7PortsAreProxyEntriesAndUnknownIsNeverARemote() {
        List<L4Entry> entries = new PolicyExport(evaluator()).export(List.of(API), ALL);
        assertThat(entries).noneMatch(e -> e.remoteId() == Identity.UNKNOWN.id());
        assertThat(entries).contains(new L4Entry(API.id(), FRONTEND.id(), Direction.INGRESS, Protocol.TCP, 80, 80,
                L4Verdict.L7, "default/api"));
        assertThat(entries).contains(new L4Entry(API.id(), FRONTEND.id(), Direction.INGRESS, Protocol.TCP, 8000, 8100,
                L4Verdict.ALLOWED, "default/api"));
        // The named port is the port api declares; ICMP entries are keyed by message type.
        assertThat(entries).contains(new L4Entry(API.id(), FRONTEND.id(), Direction.INGRESS, Protocol.TCP, 9443, 9443,
                L4Verdict.ALLOWED, "default/api"));
        assertThat(entries).contains(new L4Entry(API.id(), FRONTEND.id(), Direction.INGRESS, Protocol.ICMP, 8, 8,
                L4Verdict.ALLOWED, "default/api"));
        assertThat(entries).contains(new L4Entry(API.id(), FRONTEND.id(), Direction.INGRESS, Protocol.ICMP, 0, 0,
                L4Verdict.ALLOWED, "default/api"));
        assertThat(entries).noneMatch(e -> e.protocol() == Protocol.ICMP && e.allPorts());
        // Egress is not selected: one every-protocol allow per peer is enough.
        assertThat(entries).filteredOn(e -> e.direction() == Direction.EGRESS && e.remoteId() == FRONTEND.id())
                .containsExactly(new L4Entry(API.id(), FRONTEND.id(), Direction.EGRESS, Protocol.ANY, 0, 65535,
                        L4Verdict.ALLOWED, null));
    }

    @Test
    void denialsOnlyAnAuditPolicyMakesAreAuditEntries() {
        LoadResult loaded = PolicyLoader.parse("t.yaml", POLICY.replace("  name: api\n",
                "  name: api\n  annotations: {portcullis.io/audit: \"true\"}\n"));
        assertThat(loaded.errors()).isEmpty();
        List<L4Entry> entries = new PolicyExport(new PolicyEvaluator(loaded.policies(), CONTEXT))
                .export(List.of(API), ALL);
        // No other policy selects api: everything the dry run denies is audited, nothing is dropped.
        assertThat(entries).contains(new L4Entry(API.id(), Identity.WORLD.id(), Direction.INGRESS, Protocol.ANY, 0,
                65535, L4Verdict.DENIED, "default/api", true));
        assertThat(entries).contains(new L4Entry(API.id(), ADMIN.id(), Direction.INGRESS, Protocol.TCP, 22, 22,
                L4Verdict.DENIED, "default/api", true));
        assertThat(entries).contains(new L4Entry(API.id(), FRONTEND.id(), Direction.INGRESS, Protocol.TCP, 80, 80,
                L4Verdict.L7, "default/api", false));
        assertThat(entries).filteredOn(e -> e.verdict() == L4Verdict.DENIED).allMatch(L4Entry::audit);
    }

    @Test
    void spansAreCutWhereRuleCoverageChanges() {
        PolicyExport export = new PolicyExport(evaluator());
        assertThat(export.spans(Direction.INGRESS, Protocol.TCP)).containsExactly(new int[] {22, 22}, new int[] {80, 80},
                new int[] {8000, 8100}, new int[] {9443, 9443});
        assertThat(export.spans(Direction.INGRESS, Protocol.ICMP)).containsExactly(new int[] {0, 0}, new int[] {8, 8});
        assertThat(export.spans(Direction.INGRESS, Protocol.UDP)).containsExactly(new int[] {22, 22});
        assertThat(export.spans(Direction.EGRESS, Protocol.TCP)).isEmpty();
    }
}
