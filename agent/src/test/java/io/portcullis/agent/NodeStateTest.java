package io.portcullis.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.policy.identity.EndpointAddresses;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.IdentityAllocator;
import io.portcullis.policy.identity.Labels;
import io.portcullis.policy.model.NamedPort;
import io.portcullis.policy.model.Protocol;
import io.portcullis.policy.net.Ipv4Cidr;
import io.portcullis.policy.resolve.Audit;
import io.portcullis.policy.resolve.L4Verdict;
import io.portcullis.policy.resolve.ServiceEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's policy state: published whole and in order, last good file kept, endpoints folded into
 * the ipcache; compiled with what its rules name beyond themselves: the endpoints'
 * named ports and the services' backends, and it follows them when they change.
 */
class NodeStateTest {
    private static final String POLICY = """
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
    private static final String CIDR_POLICY = """
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata: {name: %s}
            spec:
              endpointSelector: {matchLabels: {app: api}}
              ingress:
                - fromCIDR: [%s]
            """;


    @TempDir
    Path dir;

    @Test
    void namedPortsAndServiceBackendsAreResolvedAndFollowChanges() throws IOException {
        Files.writeString(dir.resolve("web.yaml"), POLICY);
        List<NodeEndpoint> endpoints = new ArrayList<>(List.of(new NodeEndpoint(new EndpointAddresses("web",
                Labels.ofEndpoint("shop", Map.of("app", "web")), List.of("10.200.0.5")),
                List.of(NamedPort.parse("http-alt=9443/tcp")))));
        List<ServiceEntry> services = new ArrayList<>(List.of(new ServiceEntry("billing", "shop",
                Labels.EMPTY, List.of(Ipv4Cidr.parse("192.0.2.10")))));
        IdentityAllocator identities = new IdentityAllocator();
        List<PolicyState> published = new ArrayList<>();
        NodeState node = new NodeState(dir, () -> endpoints, () -> services, identities, false,
                selectors -> Map.of(), published::add);
        node.reloadPolicies();

        PolicyState state = node.current();
        Identity web = state.ipCache().lookup("10.200.0.5").identity();
        Identity billing = state.ipCache().lookup("192.0.2.10").identity();
        assertThat(billing.labels().toString()).isEqualTo("cidr:192.0.2.10/32");
        assertThat(state.snapshot().connection(Identity.WORLD, web, 9443, Protocol.TCP).l4()).isEqualTo(L4Verdict.ALLOWED);
        assertThat(state.snapshot().connection(Identity.WORLD, web, 9444, Protocol.TCP).l4()).isEqualTo(L4Verdict.DENIED);
        assertThat(state.snapshot().connection(web, billing, 443, Protocol.TCP).l4()).isEqualTo(L4Verdict.ALLOWED);
        assertThat(state.snapshot().connection(web, Identity.WORLD, 443, Protocol.TCP).l4()).isEqualTo(L4Verdict.DENIED);

        services.set(0, new ServiceEntry("billing", "shop", Labels.EMPTY, List.of(Ipv4Cidr.parse("192.0.2.11"))));
        node.nodeChanged();
        PolicyState changed = node.current();
        assertThat(changed.snapshot().revision()).isEqualTo(state.snapshot().revision());
        Identity moved = changed.ipCache().lookup("192.0.2.11").identity();
        assertThat(changed.snapshot().connection(web, moved, 443, Protocol.TCP).l4()).isEqualTo(L4Verdict.ALLOWED);
        assertThat(changed.ipCache().lookup("192.0.2.10").identity()).isEqualTo(Identity.WORLD);
        assertThat(published).hasSize(2);
    }

    private final List<NodeEndpoint> endpoints = new CopyOnWriteArrayList<>();
    private final List<PolicyState> published = new ArrayList<>();

    private NodeState node() {
        return new NodeState(dir, () -> List.copyOf(endpoints), List::of, new IdentityAllocator(), false,
                selectors -> Map.of(), published::add);
    }

    @Test
    void eachChangeIsPublishedBeforeItIsCurrentWithItsSources() throws Exception {
        Path file = Files.writeString(dir.resolve("a.yaml"), CIDR_POLICY.formatted("a", "192.0.2.0/24"));
        NodeState node = node();
        node.reloadPolicies();
        assertThat(published).hasSize(1);
        assertThat(node.current()).isSameAs(published.get(0));
        assertThat(node.current().snapshot().revision()).isEqualTo(1);
        assertThat(node.current().sources()).containsEntry(file.toString(), CIDR_POLICY.formatted("a", "192.0.2.0/24"));
        assertThat(node.current().ipCache().lookup("192.0.2.7").identity().isCidr()).as("the policy's prefix").isTrue();

        node.reloadPolicies();
        assertThat(published).as("nothing changed, nothing published").hasSize(1);
    }

    @Test
    void aBrokenFileKeepsItsLastGoodVersionAndReportsTheError() throws Exception {
        Path file = Files.writeString(dir.resolve("a.yaml"), CIDR_POLICY.formatted("a", "192.0.2.0/24"));
        NodeState node = node();
        node.reloadPolicies();
        Files.writeString(file, CIDR_POLICY.formatted("a", "not-a-cidr"));
        node.reloadPolicies();
        assertThat(node.current().snapshot().revision()).isEqualTo(1);
        assertThat(node.current().snapshot().policies()).hasSize(1);
        assertThat(NodeState.messages(node.current().errors())).singleElement().asString().contains("a.yaml");
        assertThat(published).as("the errors are shown, the old state stays").hasSize(1);
    }

    @Test
    void endpointsInAuditModeAndTheNodesSwitchReachThePolicyState() throws Exception {
        Files.writeString(dir.resolve("a.yaml"), CIDR_POLICY.formatted("a", "192.0.2.0/24"));
        EndpointAddresses api = new EndpointAddresses("api", Labels.ofEndpoint("default", Map.of("app", "api")),
                List.of("10.1.0.5"));
        endpoints.add(new NodeEndpoint(api, List.of(), true));
        endpoints.add(new NodeEndpoint(new EndpointAddresses("web", Labels.ofEndpoint("default", Map.of("app", "web")),
                List.of("10.1.0.6")), List.of()));
        NodeState node = node();
        node.reloadPolicies();
        assertThat(node.current().snapshot().audit("api")).isEqualTo(Audit.ENDPOINT);
        assertThat(node.current().snapshot().audit("web")).isEqualTo(Audit.NONE);
        endpoints.set(0, new NodeEndpoint(api, List.of(), false));
        node.nodeChanged();
        assertThat(node.current().snapshot().audit("api")).as("switched off").isEqualTo(Audit.NONE);

        NodeState wholeNode = new NodeState(dir, () -> List.copyOf(endpoints), List::of, new IdentityAllocator(), true,
                selectors -> Map.of(), published::add);
        wholeNode.reloadPolicies();
        assertThat(wholeNode.current().snapshot().audit("web")).isEqualTo(Audit.NODE);
    }

    @Test
    void endpointsChangeTheIpcacheNotTheRevision() throws Exception {
        Files.writeString(dir.resolve("a.yaml"), CIDR_POLICY.formatted("a", "192.0.2.0/24"));
        NodeState node = node();
        node.reloadPolicies();
        endpoints.add(new NodeEndpoint(new EndpointAddresses("api", Labels.ofEndpoint("default", Map.of("app", "api")),
                List.of("10.1.0.5")), List.of()));
        node.nodeChanged();
        assertThat(published).hasSize(2);
        assertThat(node.current().snapshot().revision()).isEqualTo(1);
        assertThat(node.current().ipCache().lookup("10.1.0.5").endpoint()).isEqualTo("api");
        assertThat(node.identities()).anyMatch(identity -> identity.labels().values().containsKey("k8s:app"));
    }
}
