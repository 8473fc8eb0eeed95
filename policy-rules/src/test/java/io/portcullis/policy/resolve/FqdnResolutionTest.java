package io.portcullis.policy.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.portcullis.policy.export.L4Entry;
import io.portcullis.policy.export.PolicyExport;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.IdentityAllocator;
import io.portcullis.policy.identity.Labels;
import io.portcullis.policy.load.LoadResult;
import io.portcullis.policy.load.PolicyLoader;
import io.portcullis.policy.model.FqdnSelector;
import io.portcullis.policy.model.Policy;
import io.portcullis.policy.model.Protocol;
import io.portcullis.policy.net.Ipv4Cidr;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code toFQDNs} and {@code rules.dns} as Cilium writes them: the selectors' pattern semantics,
 * learned addresses as peers, and DNS rules turning port 53 (UDP and TCP) into DNS-proxy entries.
 */
class FqdnResolutionTest {
    /** Cilium's own example (docs: "DNS-based policies"), unchanged. */
    private static final String CILIUM_EXAMPLE = """
            endpointSelector: {matchLabels: {app: client}}
            egress:
              - toEndpoints:
                  - matchLabels:
                      "k8s:io.kubernetes.pod.namespace": kube-system
                      "k8s:k8s-app": kube-dns
                toPorts:
                  - ports: [{port: "53", protocol: ANY}]
                    rules:
                      dns:
                        - matchPattern: "*"
              - toFQDNs:
                  - matchName: "api.example.com"
                  - matchPattern: "*.cdn.example.com"
                toPorts:
                  - ports: [{port: "443", protocol: TCP}]
            """;

    private final IdentityAllocator ids = new IdentityAllocator();
    private final Identity client = PolicyFixtures.endpoint(ids, "default", "app=client");
    private final Identity dns = ids.allocate(Labels.ofEndpoint("kube-system", Labels.parseMap("k8s-app=kube-dns")));

    @Test
    void patternsMatchWithinOneLabelAndStarAloneMatchesEverything() {
        FqdnSelector sub = FqdnSelector.pattern("*.example.com");
        assertThat(sub.matches("api.example.com")).isTrue();
        assertThat(sub.matches("API.Example.COM.")).as("case and trailing dot").isTrue();
        assertThat(sub.matches("a.b.example.com")).as("never across a dot").isFalse();
        assertThat(sub.matches("example.com")).isFalse();
        assertThat(sub.matches("apiexample.com")).isFalse();
        FqdnSelector infix = FqdnSelector.pattern("api-*.example.com");
        assertThat(infix.matches("api-eu1.example.com")).isTrue();
        assertThat(infix.matches("web-eu1.example.com")).isFalse();
        FqdnSelector all = FqdnSelector.pattern("*");
        assertThat(all.matches("example.com")).isTrue();
        assertThat(all.matches("a.b.c.example.com.")).isTrue();
        FqdnSelector name = FqdnSelector.name("api.example.com.");
        assertThat(name.matches("api.example.com")).isTrue();
        assertThat(name.matches("apixexample.com")).as("the dot is literal").isFalse();
        assertThatThrownBy(() -> FqdnSelector.pattern("a b")).hasMessageContaining("not a DNS name pattern");
    }

    @Test
    void ciliumPolicyLoadsAndLearnedAddressesArePeers() {
        List<Policy> policies = PolicyFixtures.policies(PolicyFixtures.cnp("fqdn", CILIUM_EXAMPLE));
        assertThat(Policy.fqdnSelectors(policies)).containsExactly(FqdnSelector.name("api.example.com"),
                FqdnSelector.pattern("*.cdn.example.com"));
        CompiledPolicySnapshot snapshot = PolicyCompiler.compile(policies, 1);
        Identity learned = ids.allocateLearned(Ipv4Cidr.parse("203.0.113.10/32"),
                List.of(FqdnSelector.name("api.example.com").label()));
        Identity neighbour = ids.allocateCidr(Ipv4Cidr.parse("203.0.113.11/32"));
        assertThat(snapshot.connection(client, learned, 443, Protocol.TCP).l4()).isEqualTo(L4Verdict.ALLOWED);
        assertThat(snapshot.connection(client, learned, 80, Protocol.TCP).l4()).as("another port")
                .isEqualTo(L4Verdict.DENIED);
        assertThat(snapshot.connection(client, neighbour, 443, Protocol.TCP).l4()).as("not learned")
                .isEqualTo(L4Verdict.DENIED);
        assertThat(snapshot.connection(client, Identity.WORLD, 443, Protocol.TCP).l4()).isEqualTo(L4Verdict.DENIED);
    }

    @Test
    void dnsRulesSendPort53ToTheDnsProxyOverUdpAndTcp() {
        CompiledPolicySnapshot snapshot = PolicyFixtures.snapshot(PolicyFixtures.cnp("fqdn", CILIUM_EXAMPLE));
        for (Protocol protocol : List.of(Protocol.UDP, Protocol.TCP)) {
            DirectionResult egress = snapshot.connection(client, dns, 53, protocol).egress();
            assertThat(egress.verdict()).as(protocol.name()).isEqualTo(L4Verdict.L7);
            assertThat(egress.judgesDns()).isTrue();
            assertThat(egress.l7().get(0).allowingLookup("anything.example.org")).isNotNull();
        }
        List<L4Entry> entries = new PolicyExport(snapshot.evaluator()).export(List.of(client), List.of(dns));
        assertThat(entries).filteredOn(e -> e.direction() == Direction.EGRESS && e.fromPort() == 53)
                .extracting(L4Entry::protocol, L4Entry::verdict, L4Entry::dns)
                .contains(tuple(Protocol.UDP, L4Verdict.L7, true),
                        tuple(Protocol.TCP, L4Verdict.L7, true));
    }

    @Test
    void dnsRulesJudgeNamesByMatchNameAndPattern() {
        CompiledPolicySnapshot snapshot = PolicyFixtures.snapshot(PolicyFixtures.cnp("lookups", """
                endpointSelector: {matchLabels: {app: client}}
                egress:
                  - toEndpoints: [{matchLabels: {"k8s:io.kubernetes.pod.namespace": kube-system}}]
                    toPorts:
                      - ports: [{port: "53", protocol: UDP}]
                        rules:
                          dns:
                            - matchName: allowed.test
                            - matchPattern: "*.wild.test"
                """));
        L7RuleSet rules = snapshot.connection(client, dns, 53, Protocol.UDP).egress().l7().get(0);
        assertThat(rules.allowingLookup("allowed.test.")).isNotNull();
        assertThat(rules.allowingLookup("x.wild.test")).isNotNull();
        assertThat(rules.allowingLookup("denied.test")).isNull();
        assertThat(rules.allowingLookup("x.y.wild.test")).isNull();
    }

    @Test
    void badSelectorsAreLoadErrorsNamingTheField() {
        LoadResult result = PolicyLoader.parse("f.yaml", PolicyFixtures.cnp("bad", """
                endpointSelector: {}
                egress:
                  - toFQDNs: [{matchName: "a b"}, {matchName: x.test, matchPattern: "*.test"}]
                  - toPorts:
                      - ports: [{port: "53", protocol: SCTP}]
                        rules: {dns: [{matchPattern: "*"}]}
                  - toPorts:
                      - ports: [{port: "53", protocol: UDP}]
                        rules: {dns: [{matchPattern: "*"}], http: [{}]}
                egressDeny:
                  - toFQDNs: [{matchName: x.test}]
                """));
        List<String> messages = result.errors().stream().map(Throwable::getMessage).toList();
        assertThat(messages).hasSize(5);
        assertThat(messages.get(0)).startsWith("f.yaml:8:29: field 'spec.egress[0].toFQDNs[0].matchName'")
                .contains("not a DNS name");
        assertThat(messages.get(1)).contains("spec.egress[0].toFQDNs[1]").contains("give matchName or matchPattern");
        assertThat(messages.get(2)).contains("DNS rules apply to UDP and TCP, not SCTP");
        assertThat(messages.get(3)).contains("dns rules cannot be mixed");
        assertThat(messages.get(4)).contains("spec.egressDeny[0].toFQDNs");
    }
}
