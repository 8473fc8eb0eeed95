package io.portcullis.policy.resolve;

import static io.portcullis.policy.resolve.PolicyFixtures.cnp;
import static io.portcullis.policy.resolve.PolicyFixtures.policies;
import static io.portcullis.policy.resolve.PolicyFixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.policy.http.SimpleHttpRequest;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.IdentityAllocator;
import io.portcullis.policy.identity.IpCache;
import io.portcullis.policy.model.Policy;
import io.portcullis.policy.model.Protocol;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResolutionTest {
    private final IdentityAllocator ids = new IdentityAllocator();
    private final Identity api = id("app=api");
    private final Identity web = id("role=web");
    private final Identity other = id("role=other");

    private Identity id(String labels) {
        return PolicyFixtures.endpoint(ids, "default", labels);
    }

    private static final String API_FROM_WEB_80 = """
            endpointSelector: {matchLabels: {app: api}}
            ingress:
              - fromEndpoints: [{matchLabels: {role: web}}]
                toPorts: [{ports: [{port: 80, protocol: TCP}]}]
            """;

    @Test
    void withoutPoliciesEverythingIsAllowed() {
        CompiledPolicySnapshot snapshot = PolicyCompiler.compile(List.of(), 7);
        assertThat(snapshot.revision()).isEqualTo(7);
        CompiledConnectionRules rules = snapshot.connection(web, api, 80, Protocol.TCP);
        assertThat(rules.l4()).isEqualTo(L4Verdict.ALLOWED);
        assertThat(rules.ingress().outcome()).isEqualTo(DirectionResult.Outcome.NOT_SELECTED);
        assertThat(rules.ingress().reason()).isEqualTo("no policy selects app=api in namespace default for ingress, so ingress"
                + " is not enforced");
    }

    @Test
    void aSelectedDirectionIsDefaultDenyAndTheOtherStaysOpen() {
        CompiledPolicySnapshot snapshot = snapshot(cnp("api", API_FROM_WEB_80));
        assertThat(snapshot.connection(web, api, 80, Protocol.TCP).l4()).isEqualTo(L4Verdict.ALLOWED);
        assertThat(snapshot.connection(web, api, 81, Protocol.TCP).l4()).isEqualTo(L4Verdict.DENIED);
        assertThat(snapshot.connection(web, api, 80, Protocol.UDP).l4()).isEqualTo(L4Verdict.DENIED);
        CompiledConnectionRules fromOther = snapshot.connection(other, api, 80, Protocol.TCP);
        assertThat(fromOther.l4()).isEqualTo(L4Verdict.DENIED);
        assertThat(fromOther.ingress().outcome()).isEqualTo(DirectionResult.Outcome.DEFAULT_DENIED);
        assertThat(fromOther.ingress().reason()).isEqualTo("ingress is default-deny for app=api in namespace default (selected by"
                + " policy \"default/api\"): no rule allows role=other in namespace default on port 80/TCP");
        Decision decision = fromOther.decideHttp(new SimpleHttpRequest("GET", "/"));
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.policy()).isEqualTo("default/api");
        assertThat(decision.observationPoint()).isEqualTo(Direction.INGRESS);
        // api's egress is not selected by any rule, so it may go anywhere.
        assertThat(snapshot.connection(api, other, 5432, Protocol.TCP).l4()).isEqualTo(L4Verdict.ALLOWED);
    }

    @Test
    void anEmptyRuleSelectsButAllowsNothing() {
        CompiledPolicySnapshot snapshot = snapshot(cnp("lockdown", "endpointSelector: {}\ningress: [{}]\n"));
        assertThat(snapshot.connection(web, api, 80, Protocol.TCP).l4()).isEqualTo(L4Verdict.DENIED);
        assertThat(snapshot.connection(Identity.WORLD, api, 80, Protocol.TCP).l4()).isEqualTo(L4Verdict.DENIED);
        // {} selects endpoints only: the host's ingress is not enforced by it.
        assertThat(snapshot.connection(api, Identity.HOST, 80, Protocol.TCP).l4()).isEqualTo(L4Verdict.ALLOWED);
    }

    @Test
    void denyBeatsAllowWhateverTheOrder() {
        CompiledPolicySnapshot snapshot = snapshot(
                cnp("allow-all", "endpointSelector: {}\ningress: [{fromEntities: [all]}]\n"),
                cnp("deny-other", """
                        endpointSelector: {matchLabels: {app: api}}
                        ingressDeny:
                          - fromEndpoints: [{matchLabels: {role: other}}]
                            toPorts: [{ports: [{port: 80}]}]
                        """));
        assertThat(snapshot.connection(web, api, 80, Protocol.TCP).l4()).isEqualTo(L4Verdict.ALLOWED);
        assertThat(snapshot.connection(other, api, 443, Protocol.TCP).l4()).isEqualTo(L4Verdict.ALLOWED);
        CompiledConnectionRules denied = snapshot.connection(other, api, 80, Protocol.TCP);
        assertThat(denied.l4()).isEqualTo(L4Verdict.DENIED);
        assertThat(denied.ingress().policy()).isEqualTo("default/deny-other");
        assertThat(denied.ingress().reason()).isEqualTo("denied by ingressDeny: policy \"default/deny-other\" ingressDeny[0].toPorts[0]");
    }

    @Test
    void aPlainL4AllowMakesL7RulesOnThePortMootForThatPeer() {
        CompiledPolicySnapshot snapshot = snapshot(
                cnp("l7", """
                        endpointSelector: {matchLabels: {app: api}}
                        ingress:
                          - toPorts:
                              - ports: [{port: 80, protocol: TCP}]
                                rules: {http: [{method: GET}]}
                        """),
                cnp("web-l4", API_FROM_WEB_80));
        CompiledConnectionRules fromWeb = snapshot.connection(web, api, 80, Protocol.TCP);
        assertThat(fromWeb.l4()).isEqualTo(L4Verdict.ALLOWED);
        assertThat(fromWeb.l7RuleSets(Direction.INGRESS)).isEmpty();
        assertThat(fromWeb.ingress().reason()).isEqualTo("allowed by policy \"default/web-l4\" ingress[0].toPorts[0];"
                + " L7 rules of policy \"default/l7\" ingress[0].toPorts[0] do not apply to this peer");
        assertThat(fromWeb.decideHttp(new SimpleHttpRequest("DELETE", "/")).allowed()).isTrue();
        CompiledConnectionRules fromOther = snapshot.connection(other, api, 80, Protocol.TCP);
        assertThat(fromOther.l4()).isEqualTo(L4Verdict.L7);
        assertThat(fromOther.decideHttp(new SimpleHttpRequest("DELETE", "/")).allowed()).isFalse();
        assertThat(fromOther.decideHttp(new SimpleHttpRequest("GET", "/")).allowed()).isTrue();
    }

    @Test
    void egressAndIngressAreBothEnforcedInOnePass() {
        CompiledPolicySnapshot snapshot = snapshot(
                cnp("web-out", """
                        endpointSelector: {matchLabels: {role: web}}
                        egress:
                          - toEndpoints: [{matchLabels: {app: api}}]
                            toPorts:
                              - ports: [{port: 80, protocol: TCP}]
                                rules: {http: [{path: "/a.*"}]}
                        """),
                cnp("api-in", """
                        endpointSelector: {matchLabels: {app: api}}
                        ingress:
                          - fromEndpoints: [{matchLabels: {role: web}}]
                            toPorts:
                              - ports: [{port: 80, protocol: TCP}]
                                rules: {http: [{path: "/ab"}, {path: "/ac", method: POST}]}
                        """));
        CompiledConnectionRules rules = snapshot.connection(web, api, 80, Protocol.TCP);
        assertThat(rules.l4()).isEqualTo(L4Verdict.L7);

        Decision allowed = rules.decideHttp(new SimpleHttpRequest("GET", "/ab"));
        assertThat(allowed).isEqualTo(new Decision(true, "default/web-out", Direction.EGRESS,
                "allowed by policy \"default/web-out\" egress[0].toPorts[0].rules.http[0] and policy \"default/api-in\""
                        + " ingress[0].toPorts[0].rules.http[0]", List.of()));
        assertThat(rules.decideHttp(new SimpleHttpRequest("GET", "/ab"))).isSameAs(allowed);

        Decision byIngress = rules.decideHttp(new SimpleHttpRequest("GET", "/ac"));
        assertThat(byIngress).isEqualTo(new Decision(false, "default/api-in", Direction.INGRESS,
                "no L7 rule of policy \"default/api-in\" ingress[0].toPorts[0] matches the request", List.of()));
        Decision byEgress = rules.decideHttp(new SimpleHttpRequest("GET", "/b"));
        assertThat(byEgress.allowed()).isFalse();
        assertThat(byEgress.observationPoint()).isEqualTo(Direction.EGRESS);
        assertThat(byEgress.policy()).isEqualTo("default/web-out");

        // web's egress is default-deny towards anything else.
        CompiledConnectionRules elsewhere = snapshot.connection(web, other, 80, Protocol.TCP);
        assertThat(elsewhere.l4()).isEqualTo(L4Verdict.DENIED);
        assertThat(elsewhere.decideHttp(new SimpleHttpRequest("GET", "/a")).observationPoint())
                .isEqualTo(Direction.EGRESS);
    }

    @Test
    void portRangesAreInclusiveAndPortZeroMeansAny() {
        CompiledPolicySnapshot snapshot = snapshot(cnp("ranges", """
                endpointSelector: {matchLabels: {app: api}}
                ingress:
                  - toPorts: [{ports: [{port: 8000, endPort: 8080, protocol: TCP}]}]
                  - fromEndpoints: [{matchLabels: {role: other}}]
                    toPorts: [{ports: [{port: 0, protocol: UDP}]}]
                """));
        assertThat(snapshot.connection(web, api, 7999, Protocol.TCP).l4()).isEqualTo(L4Verdict.DENIED);
        assertThat(snapshot.connection(web, api, 8000, Protocol.TCP).l4()).isEqualTo(L4Verdict.ALLOWED);
        assertThat(snapshot.connection(web, api, 8080, Protocol.TCP).l4()).isEqualTo(L4Verdict.ALLOWED);
        assertThat(snapshot.connection(web, api, 8081, Protocol.TCP).l4()).isEqualTo(L4Verdict.DENIED);
        assertThat(snapshot.connection(web, api, 8000, Protocol.SCTP).l4()).isEqualTo(L4Verdict.DENIED);
        assertThat(snapshot.connection(other, api, 1, Protocol.UDP).l4()).isEqualTo(L4Verdict.ALLOWED);
        assertThat(snapshot.connection(other, api, 65535, Protocol.UDP).l4()).isEqualTo(L4Verdict.ALLOWED);
        assertThat(snapshot.connection(other, api, 53, Protocol.TCP).l4()).isEqualTo(L4Verdict.DENIED);
    }

    @Test
    void peersWithoutPortsAllowEveryPort() {
        CompiledPolicySnapshot snapshot = snapshot(cnp("peers", """
                endpointSelector: {matchLabels: {app: api}}
                ingress: [{fromEndpoints: [{matchLabels: {role: web}}]}]
                """));
        assertThat(snapshot.connection(web, api, 1, Protocol.TCP).l4()).isEqualTo(L4Verdict.ALLOWED);
        assertThat(snapshot.connection(web, api, 65535, Protocol.SCTP).l4()).isEqualTo(L4Verdict.ALLOWED);
        assertThat(snapshot.connection(other, api, 1, Protocol.TCP).l4()).isEqualTo(L4Verdict.DENIED);
    }

    @Test
    void cidrRulesSelectPrefixesInsideAndOutsideTheirExcept() {
        List<Policy> policies = policies(cnp("out", """
                endpointSelector: {matchLabels: {app: api}}
                egress:
                  - toCIDRSet: [{cidr: 10.0.0.0/8, except: [10.96.0.0/12]}]
                  - toCIDR: [192.168.7.0/24]
                    toPorts: [{ports: [{port: 443}]}]
                """));
        IpCache ipCache = IpCache.builder(ids).cidrs(Policy.cidrPrefixes(policies)).build();
        CompiledPolicySnapshot snapshot = PolicyCompiler.compile(policies, 1);
        Identity inside = ipCache.lookup("10.1.2.3").identity();
        Identity excepted = ipCache.lookup("10.97.0.1").identity();
        assertThat(inside.labels().toString()).isEqualTo("cidr:10.0.0.0/8");
        assertThat(excepted.labels().toString()).isEqualTo("cidr:10.96.0.0/12");
        assertThat(snapshot.connection(api, inside, 5000, Protocol.TCP).l4()).isEqualTo(L4Verdict.ALLOWED);
        assertThat(snapshot.connection(api, excepted, 5000, Protocol.TCP).l4()).isEqualTo(L4Verdict.DENIED);
        assertThat(snapshot.connection(api, Identity.WORLD, 5000, Protocol.TCP).l4()).isEqualTo(L4Verdict.DENIED);
        Identity lan = ipCache.lookup("192.168.7.9").identity();
        assertThat(snapshot.connection(api, lan, 443, Protocol.TCP).l4()).isEqualTo(L4Verdict.ALLOWED);
        assertThat(snapshot.connection(api, lan, 80, Protocol.TCP).l4()).isEqualTo(L4Verdict.DENIED);
        // CIDR rules never select cluster endpoints.
        assertThat(snapshot.connection(api, web, 5000, Protocol.TCP).l4()).isEqualTo(L4Verdict.DENIED);
        // A more specific prefix named elsewhere, inside the rule's cidr, is still selected.
        Identity narrower = ids.allocateCidr(io.portcullis.policy.net.Ipv4Cidr.parse("10.5.0.0/16"));
        assertThat(snapshot.connection(api, narrower, 5000, Protocol.TCP).l4()).isEqualTo(L4Verdict.ALLOWED);
    }

    @Test
    void theWholeAddressSpaceAlsoSelectsWorld() {
        CompiledPolicySnapshot snapshot = snapshot(cnp("out", """
                endpointSelector: {matchLabels: {app: api}}
                egress: [{toCIDR: [0.0.0.0/0]}]
                """));
        assertThat(snapshot.connection(api, Identity.WORLD, 80, Protocol.TCP).l4()).isEqualTo(L4Verdict.ALLOWED);
        assertThat(snapshot.connection(api, Identity.HOST, 80, Protocol.TCP).l4()).isEqualTo(L4Verdict.DENIED);
    }

    @Test
    void entitiesStandForTheirIdentities() {
        CompiledPolicySnapshot cluster = snapshot(cnp("c", "endpointSelector: {}\ningress: [{fromEntities: [cluster]}]\n"));
        assertThat(cluster.connection(web, api, 80, Protocol.TCP).l4()).isEqualTo(L4Verdict.ALLOWED);
        assertThat(cluster.connection(Identity.HOST, api, 80, Protocol.TCP).l4()).isEqualTo(L4Verdict.ALLOWED);
        assertThat(cluster.connection(Identity.REMOTE_NODE, api, 80, Protocol.TCP).l4()).isEqualTo(L4Verdict.ALLOWED);
        assertThat(cluster.connection(Identity.WORLD, api, 80, Protocol.TCP).l4()).isEqualTo(L4Verdict.DENIED);
        Identity cidr = ids.allocateCidr(io.portcullis.policy.net.Ipv4Cidr.parse("1.2.3.0/24"));
        assertThat(cluster.connection(cidr, api, 80, Protocol.TCP).l4()).isEqualTo(L4Verdict.DENIED);

        CompiledPolicySnapshot world = snapshot(cnp("w", "endpointSelector: {}\ningress: [{fromEntities: [world]}]\n"));
        assertThat(world.connection(Identity.WORLD, api, 80, Protocol.TCP).l4()).isEqualTo(L4Verdict.ALLOWED);
        assertThat(world.connection(cidr, api, 80, Protocol.TCP).l4()).isEqualTo(L4Verdict.ALLOWED);
        assertThat(world.connection(web, api, 80, Protocol.TCP).l4()).isEqualTo(L4Verdict.DENIED);
        assertThat(world.connection(Identity.HOST, api, 80, Protocol.TCP).l4()).isEqualTo(L4Verdict.DENIED);

        CompiledPolicySnapshot host = snapshot(cnp("h", "endpointSelector: {}\ningress: [{fromEntities: [host]}]\n"));
        assertThat(host.connection(Identity.HOST, api, 80, Protocol.TCP).l4()).isEqualTo(L4Verdict.ALLOWED);
        assertThat(host.connection(Identity.REMOTE_NODE, api, 80, Protocol.TCP).l4()).isEqualTo(L4Verdict.DENIED);

        CompiledPolicySnapshot all = snapshot(cnp("a", "endpointSelector: {}\ningress: [{fromEntities: [all]}]\n"));
        for (Identity peer : List.of(web, Identity.WORLD, Identity.HOST, cidr, Identity.KUBE_APISERVER)) {
            assertThat(all.connection(peer, api, 80, Protocol.TCP).l4()).isEqualTo(L4Verdict.ALLOWED);
        }
    }

    @Test
    void anEmptyEndpointSelectorPeerMeansEveryEndpointButNoReservedIdentity() {
        CompiledPolicySnapshot snapshot = snapshot(cnp("e", "endpointSelector: {}\ningress: [{fromEndpoints: [{}]}]\n"));
        assertThat(snapshot.connection(web, api, 80, Protocol.TCP).l4()).isEqualTo(L4Verdict.ALLOWED);
        assertThat(snapshot.connection(Identity.WORLD, api, 80, Protocol.TCP).l4()).isEqualTo(L4Verdict.DENIED);
        assertThat(snapshot.connection(Identity.HOST, api, 80, Protocol.TCP).l4()).isEqualTo(L4Verdict.DENIED);
    }

    @Test
    void selectorsNamingReservedLabelsReachReservedIdentities() {
        CompiledPolicySnapshot snapshot = snapshot(PolicyFixtures.ccnp("host-fw", """
                endpointSelector: {matchLabels: {"reserved:host": ""}}
                ingress: [{fromEndpoints: [{matchLabels: {role: web}}]}]
                """));
        assertThat(snapshot.connection(web, Identity.HOST, 22, Protocol.TCP).l4()).isEqualTo(L4Verdict.ALLOWED);
        assertThat(snapshot.connection(other, Identity.HOST, 22, Protocol.TCP).l4()).isEqualTo(L4Verdict.DENIED);
        assertThat(snapshot.connection(other, api, 22, Protocol.TCP).l4()).isEqualTo(L4Verdict.ALLOWED);
    }

    @Test
    void matchExpressionsSelectSubjects() {
        CompiledPolicySnapshot snapshot = snapshot(cnp("expr", """
                endpointSelector:
                  matchExpressions: [{key: app, operator: In, values: [api, db]}, {key: tier, operator: DoesNotExist}]
                ingress: [{}]
                """));
        assertThat(snapshot.connection(web, api, 80, Protocol.TCP).l4()).isEqualTo(L4Verdict.DENIED);
        assertThat(snapshot.connection(web, id("app=db"), 80, Protocol.TCP).l4()).isEqualTo(L4Verdict.DENIED);
        assertThat(snapshot.connection(web, id("app=db,tier=1"), 80, Protocol.TCP).l4()).isEqualTo(L4Verdict.ALLOWED);
        assertThat(snapshot.connection(web, id("app=cache"), 80, Protocol.TCP).l4()).isEqualTo(L4Verdict.ALLOWED);
    }

    @Test
    void l7RulesOnlyApplyToTcp() {
        CompiledPolicySnapshot snapshot = snapshot(cnp("l7", """
                endpointSelector: {matchLabels: {app: api}}
                ingress:
                  - toPorts: [{ports: [{port: 80, protocol: TCP}], rules: {http: [{}]}}]
                """));
        assertThat(snapshot.connection(web, api, 80, Protocol.TCP).l4()).isEqualTo(L4Verdict.L7);
        assertThat(snapshot.connection(web, api, 80, Protocol.UDP).l4()).isEqualTo(L4Verdict.DENIED);
    }

    @Test
    void connectionRulesAreCachedPerConnection() {
        CompiledPolicySnapshot snapshot = snapshot(cnp("api", API_FROM_WEB_80));
        assertThat(snapshot.connection(web, api, 80, Protocol.TCP)).isSameAs(snapshot.connection(web, api, 80, Protocol.TCP));
        assertThat(snapshot.connection(web, api, 80, Protocol.TCP)).isNotSameAs(snapshot.connection(web, api, 81, Protocol.TCP));
        assertThatThrownBy(() -> snapshot.connection(web, api, 80, Protocol.ANY))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void kafkaRulesAreExposedAndRefuseHttp() {
        CompiledPolicySnapshot snapshot = snapshot(cnp("kafka", """
                endpointSelector: {matchLabels: {app: api}}
                ingress:
                  - toPorts:
                      - ports: [{port: 9092, protocol: TCP}]
                        rules: {kafka: [{role: produce, topic: orders}]}
                """));
        CompiledConnectionRules rules = snapshot.connection(web, api, 9092, Protocol.TCP);
        assertThat(rules.l4()).isEqualTo(L4Verdict.L7);
        assertThat(rules.l7RuleSets(Direction.INGRESS)).hasSize(1);
        assertThat(rules.l7RuleSets(Direction.INGRESS).get(0).kafka().get(0).topic()).isEqualTo("orders");
        assertThat(rules.l7RuleSets(Direction.EGRESS)).isEmpty();
        assertThat(rules.decideHttp(new SimpleHttpRequest("GET", "/")).allowed()).isFalse();
    }
}
