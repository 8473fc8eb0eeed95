package io.portcullis.tests.steering;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.bpf.BpfFs;
import io.portcullis.bpf.BpfMap;
import io.portcullis.bpf.Cgroup2;
import io.portcullis.bpf.maps.EndpointValue;
import io.portcullis.bpf.maps.IpcacheValue;
import io.portcullis.bpf.maps.Ipv4PrefixKey;
import io.portcullis.bpf.maps.MapNames;
import io.portcullis.bpf.maps.PolicyKey;
import io.portcullis.bpf.maps.PolicyValue;
import io.portcullis.bpf.maps.StructCodec;
import io.portcullis.bpf.maps.TrafficDirection;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.IpCache;
import io.portcullis.policy.identity.Labels;
import io.portcullis.policy.load.LoadResult;
import io.portcullis.policy.load.PolicyLoader;
import io.portcullis.policy.net.Ipv4Cidr;
import io.portcullis.policy.resolve.PolicyContext;
import io.portcullis.policy.resolve.PolicyEvaluator;
import io.portcullis.redirect.LocalEndpoint;
import io.portcullis.redirect.SocketSteering;
import io.portcullis.redirect.SteeringCgroups;
import io.portcullis.redirect.SteeringOptions;
import io.portcullis.redirect.Uninstaller;
import io.portcullis.tests.support.Privileges;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SocketSteering#reconcile} against the real pinned maps, in a private pin root and a
 * private cgroup (the programs attach there, so no process of the host is steered): what a state
 * writes, and what the next state prunes.
 */
class SocketSteeringReconcileTest {
    private static final Identity SERVER = new Identity(256, Labels.ofEndpoint("default", Map.of("app", "server")));
    private static final Identity CLIENT = new Identity(257, Labels.ofEndpoint("default", Map.of("role", "client")));
    private static final List<Identity> IDENTITIES = List.of(Identity.UNKNOWN, Identity.WORLD, SERVER, CLIENT);
    private static final int PROXY_PORT = 15001;

    private Path pins;
    private SteeringCgroups cgroups;
    private Path serverCgroup;
    private SocketSteering steering;

    @BeforeEach
    void install() throws IOException {
        Privileges.requireRoot("loads and attaches the steering programs");
        String suffix = "portcullis-test-" + UUID.randomUUID().toString().substring(0, 8);
        pins = BpfFs.ensureMounted().resolve(suffix);
        Path root = Files.createDirectories(Cgroup2.mountPoint().resolve(suffix));
        cgroups = new SteeringCgroups(root, root.resolve("endpoints"));
        steering = SocketSteering.install(new SteeringOptions(address("10.200.0.1"), PROXY_PORT, true, false, PROXY_PORT + 1), pins,
                cgroups);
        serverCgroup = Files.createDirectories(cgroups.endpoints().resolve("server"));
    }

    @AfterEach
    void uninstall() throws IOException {
        if (steering != null) {
            steering.close();
        }
        if (cgroups != null) {
            Uninstaller.uninstall(pins, cgroups);
            for (Path cgroup : List.of(serverCgroup, cgroups.endpoints(), cgroups.root())) {
                if (cgroup != null) {
                    Files.deleteIfExists(cgroup);
                }
            }
        }
    }

    @Test
    void aStateWritesPolicyIpcacheAndEndpointsAndTheNextOnePrunesWhatLeft() throws IOException {
        IpCache both = IpCache.of(List.of(
                new IpCache.Entry(Ipv4Cidr.parse("10.200.0.5/32"), SERVER, "server"),
                new IpCache.Entry(Ipv4Cidr.parse("10.200.0.6/32"), CLIENT, "client")));
        steering.reconcile(evaluator(), both, IDENTITIES,
                List.of(new LocalEndpoint("server", address("10.200.0.5"), SERVER, serverCgroup)));

        long cgroupId = ((Number) Files.getAttribute(serverCgroup, "unix:ino")).longValue();
        try (BpfMap<PolicyKey, PolicyValue> policy = map(MapNames.POLICY, PolicyKey.CODEC, PolicyValue.CODEC);
             BpfMap<Ipv4PrefixKey, IpcacheValue> ipcache = map(MapNames.IPCACHE, Ipv4PrefixKey.CODEC, IpcacheValue.CODEC);
             BpfMap<Long, EndpointValue> endpoints = map(MapNames.ENDPOINTS, StructCodec.U64, EndpointValue.CODEC)) {
            assertThat(policy.lookup(PolicyKey.port(256, 257, TrafficDirection.INGRESS, 6, 8080)))
                    .contains(PolicyValue.proxy(PROXY_PORT, 1));
            assertThat(policy.keys()).as("entries only for the local endpoint's identity")
                    .allMatch(key -> key.localId() == SERVER.id());
            assertThat(ipcache.entries()).containsExactlyInAnyOrderEntriesOf(Map.of(
                    new Ipv4PrefixKey(32, address("10.200.0.5")), IpcacheValue.localEndpoint(256),
                    new Ipv4PrefixKey(32, address("10.200.0.6")), IpcacheValue.remote(257)));
            assertThat(endpoints.entries()).containsExactlyEntriesOf(Map.of(
                    cgroupId, new EndpointValue(256, address("10.200.0.5"))));

            // The server left the node and the client's address is gone.
            IpCache serverOnly = IpCache.of(List.of(new IpCache.Entry(Ipv4Cidr.parse("10.200.0.5/32"), SERVER, null)));
            steering.reconcile(evaluator(), serverOnly, IDENTITIES, List.of());

            assertThat(endpoints.entries()).isEmpty();
            assertThat(policy.keys()).isEmpty();
            assertThat(ipcache.entries()).containsExactlyEntriesOf(Map.of(
                    new Ipv4PrefixKey(32, address("10.200.0.5")), IpcacheValue.remote(256)));
        }
    }

    private <K, V> BpfMap<K, V> map(String name, StructCodec<K> keys, StructCodec<V> values) {
        return BpfMap.openPinned(pins.resolve(name), keys, values);
    }

    private static PolicyEvaluator evaluator() {
        LoadResult loaded = PolicyLoader.parse("orders.yaml", """
                apiVersion: cilium.io/v2
                kind: CiliumNetworkPolicy
                metadata: {name: orders-api}
                spec:
                  endpointSelector: {matchLabels: {app: server}}
                  ingress:
                    - fromEndpoints: [{matchLabels: {role: client}}]
                      toPorts:
                        - ports: [{port: "8080", protocol: TCP}]
                          rules: {http: [{method: POST, path: /orders}]}
                """);
        assertThat(loaded.errors()).isEmpty();
        return new PolicyEvaluator(loaded.policies(), PolicyContext.NONE);
    }

    private static Inet4Address address(String text) throws IOException {
        return (Inet4Address) InetAddress.getByName(text);
    }
}
