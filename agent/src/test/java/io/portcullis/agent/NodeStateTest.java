package io.portcullis.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.policy.identity.EndpointAddresses;
import io.portcullis.policy.identity.IdentityAllocator;
import io.portcullis.policy.identity.Labels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's policy state: published whole and in order, last good file kept, endpoints folded into the ipcache. */
class NodeStateTest {
    private static final String POLICY = """
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
    private final List<EndpointAddresses> endpoints = new CopyOnWriteArrayList<>();
    private final List<PolicyState> published = new ArrayList<>();

    private NodeState node() {
        return new NodeState(dir, () -> List.copyOf(endpoints), new IdentityAllocator(), published::add);
    }

    @Test
    void eachChangeIsPublishedBeforeItIsCurrentWithItsSources() throws Exception {
        Path file = Files.writeString(dir.resolve("a.yaml"), POLICY.formatted("a", "192.0.2.0/24"));
        NodeState node = node();
        node.reloadPolicies();
        assertThat(published).hasSize(1);
        assertThat(node.current()).isSameAs(published.get(0));
        assertThat(node.current().snapshot().revision()).isEqualTo(1);
        assertThat(node.current().sources()).containsEntry(file.toString(), POLICY.formatted("a", "192.0.2.0/24"));
        assertThat(node.current().ipCache().lookup("192.0.2.7").identity().isCidr()).as("the policy's prefix").isTrue();

        node.reloadPolicies();
        assertThat(published).as("nothing changed, nothing published").hasSize(1);
    }

    @Test
    void aBrokenFileKeepsItsLastGoodVersionAndReportsTheError() throws Exception {
        Path file = Files.writeString(dir.resolve("a.yaml"), POLICY.formatted("a", "192.0.2.0/24"));
        NodeState node = node();
        node.reloadPolicies();
        Files.writeString(file, POLICY.formatted("a", "not-a-cidr"));
        node.reloadPolicies();
        assertThat(node.current().snapshot().revision()).isEqualTo(1);
        assertThat(node.current().snapshot().policies()).hasSize(1);
        assertThat(NodeState.messages(node.current().errors())).singleElement().asString().contains("a.yaml");
        assertThat(published).as("the errors are shown, the old state stays").hasSize(1);
    }

    @Test
    void endpointsChangeTheIpcacheNotTheRevision() throws Exception {
        Files.writeString(dir.resolve("a.yaml"), POLICY.formatted("a", "192.0.2.0/24"));
        NodeState node = node();
        node.reloadPolicies();
        endpoints.add(new EndpointAddresses("api", new Labels(java.util.Map.of("app", "api")), List.of("10.1.0.5")));
        node.endpointsChanged();
        assertThat(published).hasSize(2);
        assertThat(node.current().snapshot().revision()).isEqualTo(1);
        assertThat(node.current().ipCache().lookup("10.1.0.5").endpoint()).isEqualTo("api");
        assertThat(node.identities()).anyMatch(identity -> identity.labels().values().containsKey("app"));
    }
}
