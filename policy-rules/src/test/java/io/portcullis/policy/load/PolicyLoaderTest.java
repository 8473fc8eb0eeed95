package io.portcullis.policy.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.config.yaml.ConfigException;
import io.portcullis.policy.identity.LabelKey;
import io.portcullis.policy.identity.Labels;
import io.portcullis.policy.model.EndpointSelector;
import io.portcullis.policy.model.Entity;
import io.portcullis.policy.model.HeaderAction;
import io.portcullis.policy.model.KafkaApiKeys;
import io.portcullis.policy.model.KafkaRule;
import io.portcullis.policy.model.LabelRequirement;
import io.portcullis.policy.model.PeerRule;
import io.portcullis.policy.model.Policy;
import io.portcullis.policy.model.PolicyKind;
import io.portcullis.policy.model.PortRange;
import io.portcullis.policy.model.Protocol;
import io.portcullis.policy.net.Ipv4Cidr;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyLoaderTest {
    private static final String HEADER = "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: p\n";

    static List<String> messages(LoadResult result) {
        return result.errors().stream().map(ConfigException::getMessage).toList();
    }

    static LoadResult parse(String yaml) {
        return PolicyLoader.parse("p.yaml", yaml);
    }

    @Test
    void parsesEveryFieldOfAFullPolicy() {
        LoadResult result = parse(HEADER + """
                spec:
                  description: full
                  endpointSelector:
                    matchLabels: {"k8s:app": api}
                    matchExpressions:
                      - {key: tier, operator: NotIn, values: [db]}
                  ingress:
                    - fromCIDR: [10.0.0.0/8, 192.168.1.7]
                    - fromCIDRSet: [{cidr: 172.16.0.0/12, except: [172.16.5.0/24]}]
                    - fromEntities: [world, kube-apiserver]
                    - fromEndpoints: [{matchLabels: {role: web}}]
                      toPorts:
                        - ports: [{port: 8000, endPort: 8080, protocol: TCP}, {port: "9000", protocol: tcp}]
                          rules:
                            http:
                              - method: GET
                                path: /a/.*
                                host: api\\.example\\.com
                                headers: ["X-Token: abc", "X-Present"]
                                headerMatches: [{name: X-Env, value: prod, mismatch: REPLACE}]
                  egress:
                    - toEndpoints: [{}]
                  ingressDeny:
                    - fromEntities: [world]
                      toPorts: [{ports: [{port: 22}]}]
                  egressDeny:
                    - toCIDR: [169.254.169.254/32]
                """);
        assertThat(messages(result)).isEmpty();
        Policy policy = result.policies().get(0);
        assertThat(policy.name()).isEqualTo("p");
        assertThat(policy.kind()).isEqualTo(PolicyKind.CILIUM_NETWORK_POLICY);
        assertThat(policy.namespace()).isEqualTo("default");
        assertThat(policy.reference()).isEqualTo("default/p");
        EndpointSelector selector = policy.specs().get(0).endpointSelector();
        assertThat(selector.matchLabels()).containsEntry(LabelKey.parse("k8s:app", LabelKey.ANY), "api")
                .containsEntry(Labels.NAMESPACE, "default");
        assertThat(selector.matchExpressions()).containsExactly(new LabelRequirement(
                new LabelKey(LabelKey.ANY, "tier"), LabelRequirement.Operator.NOT_IN, List.of("db")));
        List<PeerRule> rules = policy.specs().get(0).ingress();
        assertThat(rules.get(0).path()).isEqualTo("ingress[0]");
        assertThat(rules.get(0).cidrs()).hasSize(2);
        assertThat(rules.get(0).cidrs().get(1).cidr()).isEqualTo(Ipv4Cidr.parse("192.168.1.7/32"));
        assertThat(rules.get(2).entities()).containsExactly(Entity.WORLD, Entity.KUBE_APISERVER);
        PeerRule ingress = rules.get(3);
        assertThat(ingress.endpoints().get(0).matchLabels()).containsEntry(Labels.NAMESPACE, "default");
        assertThat(ingress.toPorts().get(0).ports()).containsExactly(
                new PortRange(8000, 8080, Protocol.TCP), new PortRange(9000, 0, Protocol.TCP));
        assertThat(ingress.toPorts().get(0).rules().http().get(0).path())
                .isEqualTo("ingress[3].toPorts[0].rules.http[0]");
        assertThat(ingress.toPorts().get(0).rules().http().get(0).headerMatches().get(0).mismatch())
                .isEqualTo(HeaderAction.Kind.REPLACE);
        assertThat(Policy.cidrPrefixes(result.policies())).extracting(Object::toString).containsExactly(
                "10.0.0.0/8", "169.254.169.254/32", "172.16.0.0/12", "172.16.5.0/24", "192.168.1.7/32");
    }

    @Test
    void reportsABadRegexNamingTheRegex() {
        LoadResult result = parse(HEADER + """
                spec:
                  endpointSelector: {}
                  ingress:
                    - toPorts:
                        - rules:
                            http:
                              - path: "/api/("
                """);
        assertThat(messages(result)).containsExactly("p.yaml:11:23: field 'spec.ingress[0].toPorts[0].rules.http[0].path':"
                + " invalid regular expression '/api/(': missing closing ) `/api/(`");
        assertThat(result.policies()).isEmpty();
    }

    @Test
    void refusesRegexesThatNeedBacktrackingOrExpandTooFarNamingFileLineAndField() {
        LoadResult result = parse(HEADER + """
                spec:
                  endpointSelector: {}
                  ingress:
                    - toPorts:
                        - rules:
                            http:
                              - path: "/(?!admin).*"
                              - method: "(GET)\\\\1"
                                host: "(a{100}){100}"
                """);
        assertThat(messages(result)).containsExactly(
                "p.yaml:11:23: field 'spec.ingress[0].toPorts[0].rules.http[0].path': invalid regular expression"
                        + " '/(?!admin).*': lookaround `(?!` is not supported (RE2 syntax)",
                "p.yaml:12:25: field 'spec.ingress[0].toPorts[0].rules.http[1].method': invalid regular expression"
                        + " '(GET)\\1': backreference `\\1` is not supported (RE2 syntax)",
                "p.yaml:13:23: field 'spec.ingress[0].toPorts[0].rules.http[1].host': invalid regular expression"
                        + " '(a{100}){100}': expression too large: its repeats expand to more than 5000 atoms");
        assertThat(result.policies()).isEmpty();
    }

    @Test
    void reportsUnknownKeysWithTheirOwnPosition() {
        LoadResult result = parse(HEADER + """
                spec:
                  endpointSelector: {}
                  ingress:
                    - fromEndpoint: [{}]
                """);
        assertThat(messages(result)).containsExactly("p.yaml:8:7: field 'spec.ingress[0].fromEndpoint': unknown field;"
                + " expected one of [fromCIDR, fromCIDRSet, fromEndpoints, fromEntities, fromRequires, icmps, toPorts]");
    }

    @Test
    void collectsEveryErrorOfAFile() {
        LoadResult result = parse(HEADER + """
                spec:
                  endpointSelector: {}
                  ingress:
                    - toPorts:
                        - ports:
                            - port: 70000
                            - port: 80
                              endPort: 79
                            - port: 80
                              protocol: ICMP
                            - port: -http
                  egress:
                    - toCIDR: [10.0.0.0/33, 10.0.0.300]
                    - toCIDRSet: [{cidr: 10.0.0.0/8, except: [11.0.0.0/16]}]
                    - toEntities: [galaxy]
                """);
        assertThat(messages(result)).containsExactly(
                "p.yaml:10:21: field 'spec.ingress[0].toPorts[0].ports[0].port': 70000 is out of range [0, 65535]",
                "p.yaml:12:24: field 'spec.ingress[0].toPorts[0].ports[1].endPort': endPort 79 is less than port 80",
                "p.yaml:14:25: field 'spec.ingress[0].toPorts[0].ports[2].protocol': invalid protocol \"ICMP\", must"
                        + " be { tcp | udp | sctp | any }; ICMP is written as icmps: [{fields: [{type: 8}]}]",
                "p.yaml:15:21: field 'spec.ingress[0].toPorts[0].ports[3].port': unable to parse port '-http': a port"
                        + " name is 1-15 of a-z, 0-9 and '-', with a letter, no '--', and no '-' at either end (such"
                        + " as http-8080)",
                "p.yaml:17:16: field 'spec.egress[0].toCIDR[0]': unable to parse CIDR: invalid CIDR '10.0.0.0/33':"
                        + " prefix length must be 0..32",
                "p.yaml:17:29: field 'spec.egress[0].toCIDR[1]': unable to parse CIDR: invalid CIDR '10.0.0.300':"
                        + " '10.0.0.300' is not an IPv4 address",
                "p.yaml:18:47: field 'spec.egress[1].toCIDRSet[0].except[0]': allow CIDR prefix 10.0.0.0/8 does not"
                        + " contain exclude CIDR prefix 11.0.0.0/16",
                "p.yaml:19:20: field 'spec.egress[2].toEntities[0]': unsupported entity: galaxy; expected one of"
                        + " [all, cluster, health, host, ingress, init, kube-apiserver, none, remote-node, unmanaged,"
                        + " world, world-ipv4, world-ipv6]");
    }

    @Test
    void rejectsRoleWithApiKey() {
        LoadResult result = parse(HEADER + """
                spec:
                  endpointSelector: {}
                  ingress:
                    - toPorts:
                        - ports: [{port: 9092, protocol: TCP}]
                          rules:
                            kafka:
                              - role: produce
                                apiKey: fetch
                """);
        assertThat(messages(result)).containsExactly("p.yaml:12:17: field 'spec.ingress[0].toPorts[0].rules.kafka[0]':"
                + " role and apiKey cannot both be set");
    }

    @Test
    void parsesKafkaAndGrpcRules() {
        LoadResult result = parse(HEADER + """
                spec:
                  endpointSelector: {}
                  ingress:
                    - toPorts:
                        - ports: [{port: 9092, protocol: TCP}]
                          rules:
                            kafka:
                              - {role: Consume, topic: orders}
                              - {apiKey: ListOffsets, apiVersion: "3", clientID: c1}
                    - toPorts:
                        - ports: [{port: 50051, protocol: TCP}]
                          rules:
                            grpc:
                              - {service: helloworld.Greeter, method: SayHello}
                              - {service: grpc.health.v1.Health}
                              - {}
                """);
        assertThat(messages(result)).isEmpty();
        List<PeerRule> ingress = result.policies().get(0).specs().get(0).ingress();
        List<KafkaRule> kafka = ingress.get(0).toPorts().get(0).rules().kafka();
        assertThat(kafka.get(0).apiKeys()).isEqualTo(KafkaApiKeys.CONSUME_ROLE);
        assertThat(kafka.get(0).allows(KafkaApiKeys.FETCH, 11, "any", "orders")).isTrue();
        assertThat(kafka.get(0).allows(KafkaApiKeys.PRODUCE, 9, "any", "orders")).isFalse();
        assertThat(kafka.get(0).allows(KafkaApiKeys.FETCH, 11, "any", "audit")).isFalse();
        assertThat(kafka.get(1).apiKeys()).isEqualTo(Set.of(KafkaApiKeys.LIST_OFFSETS));
        assertThat(kafka.get(1).allows(KafkaApiKeys.LIST_OFFSETS, 3, "c1", null)).isTrue();
        assertThat(kafka.get(1).allows(KafkaApiKeys.LIST_OFFSETS, 2, "c1", null)).isFalse();
        assertThat(kafka.get(1).allows(KafkaApiKeys.LIST_OFFSETS, 3, "c2", null)).isFalse();
        var grpc = ingress.get(1).toPorts().get(0).rules().grpc();
        assertThat(grpc).extracting(Object::toString).containsExactly(
                "POST /helloworld.Greeter/SayHello", "POST /grpc.health.v1.Health/*", "POST /*/*");
        assertThat(grpc.get(1).matches("grpc.health.v1.Health", "Check")).isTrue();
        assertThat(grpc.get(0).matches("helloworld.Greeter", "SayGoodbye")).isFalse();
    }

    @Test
    void rejectsBadKafkaAndGrpcValues() {
        LoadResult result = parse(HEADER + """
                spec:
                  endpointSelector: {}
                  ingress:
                    - toPorts:
                        - ports: [{port: 9092, protocol: TCP}]
                          rules:
                            kafka: [{role: admin}, {apiKey: teleport}, {topic: "a b"}]
                    - toPorts:
                        - ports: [{port: 50051, protocol: TCP}]
                          rules:
                            grpc: [{service: "/bad"}]
                """);
        assertThat(messages(result)).containsExactly(
                "p.yaml:11:28: field 'spec.ingress[0].toPorts[0].rules.kafka[0].role': unknown role 'admin';"
                        + " expected produce or consume",
                "p.yaml:11:45: field 'spec.ingress[0].toPorts[0].rules.kafka[1].apiKey': unknown Kafka API key"
                        + " 'teleport'",
                "p.yaml:11:64: field 'spec.ingress[0].toPorts[0].rules.kafka[2].topic': invalid topic 'a b': up to"
                        + " 255 of a-z, A-Z, 0-9, '.', '_', '-'",
                "p.yaml:15:30: field 'spec.ingress[1].toPorts[0].rules.grpc[0].service': invalid service '/bad';"
                        + " expected a fully qualified name such as helloworld.Greeter");
    }

    @Test
    void rejectsL7RulesInDenyAndOnUdp() {
        LoadResult result = parse(HEADER + """
                spec:
                  endpointSelector: {}
                  ingressDeny:
                    - toPorts:
                        - ports: [{port: 80}]
                          rules: {http: [{}]}
                  egress:
                    - toPorts:
                        - ports: [{port: 53, protocol: UDP}]
                          rules: {http: [{}]}
                """);
        assertThat(messages(result)).containsExactly(
                "p.yaml:10:18: field 'spec.ingressDeny[0].toPorts[0].rules': L7 rules are not allowed in ingressDeny:"
                        + " deny rules are L3/L4 only",
                "p.yaml:14:18: field 'spec.egress[0].toPorts[0].rules': L7 rules can only apply to TCP (not UDP)"
                        + " except for DNS rules; write protocol: TCP on port 53/UDP");
    }

    @Test
    void rejectsUnsupportedFieldsClearly() {
        LoadResult result = PolicyLoader.parse("c.yaml", """
                apiVersion: cilium.io/v2
                kind: CiliumClusterwideNetworkPolicy
                metadata:
                  name: nodes
                spec:
                  nodeSelector: {}
                  egress:
                    - toGroups: [{aws: {securityGroupsIds: [sg-1]}}]
                    - toPorts:
                        - rules:
                            http:
                              - headerMatches: [{name: X, secret: {name: s}}]
                """);
        assertThat(messages(result)).containsExactly(
                "c.yaml:6:3: field 'spec.nodeSelector': is not supported: Portcullis enforces policy on endpoints only;"
                        + " use endpointSelector",
                "c.yaml:8:7: field 'spec.egress[0].toGroups': is not supported by Portcullis",
                "c.yaml:12:43: field 'spec.egress[1].toPorts[0].rules.http[0].headerMatches[0].secret': is not"
                        + " supported: header values from secrets are not available; write the value");
    }

    @Test
    void requiresNameSelectorAndValidHeader() {
        LoadResult result = PolicyLoader.parse("m.yaml", """
                apiVersion: cilium.io/v1
                kind: NetworkPolicy
                metadata: {namespace: x}
                spec:
                  endpointSelector:
                    matchExpressions:
                      - {key: app, operator: In}
                      - {key: app, operator: Like, values: [a]}
                """);
        assertThat(messages(result)).containsExactly(
                "m.yaml:1:13: field 'apiVersion': unsupported apiVersion 'cilium.io/v1'; expected cilium.io/v2",
                "m.yaml:2:7: field 'kind': unsupported kind 'NetworkPolicy'; expected CiliumNetworkPolicy or"
                        + " CiliumClusterwideNetworkPolicy",
                "m.yaml:3:11: field 'metadata.name': is required",
                "m.yaml:5:3: field 'spec': rule must have at least one of Ingress, IngressDeny, Egress, EgressDeny",
                "m.yaml:7:9: field 'spec.endpointSelector.matchExpressions[0].values': operator In requires at least"
                        + " one value",
                "m.yaml:8:30: field 'spec.endpointSelector.matchExpressions[1].operator': unknown operator 'Like';"
                        + " expected one of In, NotIn, Exists, DoesNotExist");
        assertThat(messages(PolicyLoader.parse("s.yaml", HEADER + "spec:\n  ingress: []\n"))).containsExactly(
                "s.yaml:6:3: field 'spec.endpointSelector': rule must have one of EndpointSelector or NodeSelector",
                "s.yaml:6:3: field 'spec': rule must have at least one of Ingress, IngressDeny, Egress, EgressDeny");
    }

    @Test
    void readsSpecsAndManyDocumentsPerFile() {
        LoadResult result = parse("""
                apiVersion: cilium.io/v2
                kind: CiliumNetworkPolicy
                metadata: {name: one}
                specs:
                  - endpointSelector: {matchLabels: {app: a}}
                    ingress: [{fromEntities: [world]}]
                  - endpointSelector: {matchLabels: {app: b}}
                    egress: [{toEntities: [all]}]
                ---
                apiVersion: cilium.io/v2
                kind: CiliumClusterwideNetworkPolicy
                metadata: {name: two}
                spec:
                  endpointSelector: {}
                  ingress: [{}]
                ---
                apiVersion: cilium.io/v2
                kind: CiliumNetworkPolicy
                metadata: {name: one}
                spec:
                  endpointSelector: {}
                  egress: [{}]
                """);
        assertThat(result.policies()).extracting(Policy::name).containsExactly("one", "two");
        assertThat(result.policies().get(0).specs()).hasSize(2);
        assertThat(result.policies().get(0).specs().get(1).egress().get(0).path()).isEqualTo("specs[1].egress[0]");
        assertThat(messages(result)).containsExactly(
                "p.yaml:19:18: field 'metadata.name': duplicate CiliumNetworkPolicy 'default/one', first defined at"
                        + " p.yaml:3:18");
    }

    @Test
    void loadsADirectoryInNameOrderAndRejectsDuplicatesAcrossFiles(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("b.yml"), policy("beta") + "---\n" + policy("alpha"));
        Files.writeString(dir.resolve("a.yaml"), policy("alpha"));
        Files.writeString(dir.resolve("c.yaml"), "not: [valid");
        Files.writeString(dir.resolve("notes.txt"), "ignored");
        Files.writeString(dir.resolve(".hidden.yaml"), "ignored: true");
        LoadResult result = PolicyLoader.load(dir);
        assertThat(result.policies()).extracting(Policy::name).containsExactly("alpha", "beta");
        assertThat(messages(result)).hasSize(2);
        assertThat(messages(result).get(0)).startsWith(dir.resolve("c.yaml") + ":").contains("invalid YAML");
        assertThat(messages(result).get(1)).isEqualTo(dir.resolve("b.yml") + ":12:9: field 'metadata.name':"
                + " duplicate CiliumNetworkPolicy 'default/alpha', first defined at " + dir.resolve("a.yaml") + ":4:9");
    }

    @Test
    void reportsAMissingPath(@TempDir Path dir) {
        assertThat(messages(PolicyLoader.load(dir.resolve("nope.yaml"))))
                .containsExactly(dir.resolve("nope.yaml") + ":0:0: cannot read: no such file or directory");
    }

    @Test
    void acceptsTheShippedExamples() {
        Path examples = Path.of("..", "config", "examples", "policies");
        LoadResult result = PolicyLoader.load(examples);
        assertThat(messages(result)).isEmpty();
        assertThat(result.policies()).extracting(Policy::name)
                .containsExactly("greeter-grpc", "orders-kafka", "api-allow", "api-egress");
    }

    static String policy(String name) {
        return """
                apiVersion: cilium.io/v2
                kind: CiliumNetworkPolicy
                metadata:
                  name: %s
                spec:
                  endpointSelector: {matchLabels: {app: %s}}
                  ingress: [{fromEntities: [world]}]
                """.formatted(name, name);
    }
}
