package io.portcullis.policy.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.Labels;
import io.portcullis.policy.load.LoadResult;
import io.portcullis.policy.load.PolicyLoader;
import io.portcullis.policy.model.Policy;
import io.portcullis.policy.resolve.Direction;
import io.portcullis.policy.resolve.L4Verdict;
import io.portcullis.policy.resolve.PolicyEvaluator;
import io.portcullis.policy.resolve.Protocol;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyExportTest {
    private static final Identity API = new Identity(256, new Labels(Map.of("app", "api")));
    private static final Identity FRONTEND = new Identity(257, new Labels(Map.of("role", "frontend")));
    private static final Identity ADMIN = new Identity(258, new Labels(Map.of("role", "admin")));
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
              ingressDeny:
                - fromEndpoints: [{matchLabels: {role: admin}}]
                  toPorts:
                    - ports: [{port: "22"}]
            """;

    private static List<Policy> policies() {
        LoadResult loaded = PolicyLoader.parse("t.yaml", POLICY);
        assertThat(loaded.errors()).isEmpty();
        return loaded.policies();
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
        List<Policy> policies = policies();
        List<L4Entry> entries = new PolicyExport(policies).export(List.of(API, FRONTEND), ALL);
        PolicyEvaluator evaluator = new PolicyEvaluator(policies);
        for (Identity local : List.of(API, FRONTEND)) {
            for (Identity remote : List.of(Identity.HOST, Identity.WORLD, API, FRONTEND, ADMIN)) {
                for (Direction direction : Direction.values()) {
                    for (Protocol protocol : List.of(Protocol.TCP, Protocol.UDP)) {
                        for (int port : new int[] {1, 21, 22, 23, 79, 80, 81, 7999, 8000, 8050, 8100, 8101, 65535}) {
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
        List<L4Entry> entries = new PolicyExport(policies()).export(List.of(API), ALL);
        assertThat(entries).noneMatch(e -> e.remoteId() == Identity.UNKNOWN.id());
        assertThat(entries).contains(new L4Entry(API.id(), FRONTEND.id(), Direction.INGRESS, Protocol.TCP, 80, 80,
                L4Verdict.L7, "api"));
        assertThat(entries).contains(new L4Entry(API.id(), FRONTEND.id(), Direction.INGRESS, Protocol.TCP, 8000, 8100,
                L4Verdict.ALLOWED, "api"));
        // Egress is not selected: one every-protocol allow per peer is enough.
        assertThat(entries).filteredOn(e -> e.direction() == Direction.EGRESS && e.remoteId() == FRONTEND.id())
                .containsExactly(new L4Entry(API.id(), FRONTEND.id(), Direction.EGRESS, Protocol.ANY, 0, 65535,
                        L4Verdict.ALLOWED, null));
    }

    @Test
    void spansAreCutWhereRuleCoverageChanges() {
        PolicyExport export = new PolicyExport(policies());
        assertThat(export.spans(Direction.INGRESS, Protocol.TCP)).containsExactly(new int[] {22, 22}, new int[] {80, 80},
                new int[] {8000, 8100});
        assertThat(export.spans(Direction.INGRESS, Protocol.UDP)).containsExactly(new int[] {22, 22});
        assertThat(export.spans(Direction.EGRESS, Protocol.TCP)).isEmpty();
    }
}
