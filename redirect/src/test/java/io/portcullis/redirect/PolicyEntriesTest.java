package io.portcullis.redirect;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.bpf.maps.PolicyKey;
import io.portcullis.bpf.maps.PolicyValue;
import io.portcullis.bpf.maps.PolicyVerdict;
import io.portcullis.bpf.maps.TrafficDirection;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.Labels;
import io.portcullis.policy.load.LoadResult;
import io.portcullis.policy.load.PolicyLoader;
import io.portcullis.policy.resolve.PolicyContext;
import io.portcullis.policy.resolve.PolicyEvaluator;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyEntriesTest {
    private static final Identity SERVER = new Identity(256, Labels.ofEndpoint("default", Map.of("app", "server")));
    private static final Identity CLIENT = new Identity(257, Labels.ofEndpoint("default", Map.of("role", "client")));
    private static final SteeringOptions OPTIONS = new SteeringOptions(proxyAddress(), 15001, true, false, 15053);

    private static Inet4Address proxyAddress() {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {10, (byte) 200, 0, 1});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void l7PortIsAProxyEntryWithTheProxyPortAndOtherPortsFollowTheDefault() {
        LoadResult loaded = PolicyLoader.parse("t.yaml", """
                apiVersion: cilium.io/v2
                kind: CiliumNetworkPolicy
                metadata: {name: server}
                spec:
                  endpointSelector: {matchLabels: {app: server}}
                  ingress:
                    - fromEndpoints: [{matchLabels: {role: client}}]
                      toPorts:
                        - ports: [{port: "80", protocol: TCP}]
                          rules: {http: [{method: GET}]}
                        - ports: [{port: "8000", endPort: 8003, protocol: TCP}]
                    - fromEndpoints: [{matchLabels: {role: client}}]
                      icmps: [{fields: [{type: EchoRequest}]}]
                """);
        assertThat(loaded.errors()).isEmpty();

        Map<PolicyKey, PolicyValue> entries = PolicyEntries.desired(
                new PolicyEvaluator(loaded.policies(), PolicyContext.NONE), List.of(SERVER),
                List.of(Identity.UNKNOWN, Identity.WORLD, SERVER, CLIENT), OPTIONS, Identity.HOST);

        assertThat(entries).containsEntry(PolicyKey.port(256, 257, TrafficDirection.INGRESS, 6, 80),
                PolicyValue.proxy(15001, 1));
        // 8000..8003 is one aligned block of four ports: prefix 96 - 2.
        assertThat(entries).containsEntry(new PolicyKey(94, 256, 257, TrafficDirection.INGRESS, 6, 8000),
                PolicyValue.allow(1));
        assertThat(entries).containsEntry(PolicyKey.anyProtocol(256, 257, TrafficDirection.INGRESS),
                PolicyValue.deny(1));
        // ICMP is keyed by message type: echo requests (8) only.
        assertThat(entries).containsEntry(PolicyKey.port(256, 257, TrafficDirection.INGRESS, 1, 8),
                PolicyValue.allow(1));
        assertThat(entries).containsEntry(PolicyKey.anyProtocol(256, 2, TrafficDirection.EGRESS),
                PolicyValue.allow(0));
        assertThat(entries.keySet()).noneMatch(k -> k.remoteId() == 0);
    }

    @Test
    void whatOnlyAnAuditPolicyDeniesIsAnAuditEntry() {
        LoadResult loaded = PolicyLoader.parse("t.yaml", """
                apiVersion: cilium.io/v2
                kind: CiliumNetworkPolicy
                metadata: {name: server, annotations: {portcullis.io/audit: "true"}}
                spec:
                  endpointSelector: {matchLabels: {app: server}}
                  ingress:
                    - fromEndpoints: [{matchLabels: {role: client}}]
                      toPorts: [{ports: [{port: "80", protocol: TCP}]}]
                """);
        assertThat(loaded.errors()).isEmpty();

        Map<PolicyKey, PolicyValue> entries = PolicyEntries.desired(
                new PolicyEvaluator(loaded.policies(), PolicyContext.NONE), List.of(SERVER),
                List.of(Identity.UNKNOWN, Identity.WORLD, SERVER, CLIENT), OPTIONS, Identity.HOST);

        assertThat(entries).containsEntry(PolicyKey.port(256, 257, TrafficDirection.INGRESS, 6, 80),
                PolicyValue.allow(0));
        assertThat(entries).containsEntry(PolicyKey.anyProtocol(256, 257, TrafficDirection.INGRESS),
                PolicyValue.audit(1));
        assertThat(entries).containsEntry(PolicyKey.anyProtocol(256, 2, TrafficDirection.INGRESS),
                PolicyValue.audit(1));
        assertThat(entries.values()).noneMatch(value -> value.verdict() == PolicyVerdict.DENY);
    }

    @Test
    void dnsRulesSendPort53ToTheDnsProxyAndEveryEndpointMayReachTheProxies() {
        LoadResult loaded = PolicyLoader.parse("t.yaml", """
                apiVersion: cilium.io/v2
                kind: CiliumNetworkPolicy
                metadata: {name: lookups}
                spec:
                  endpointSelector: {matchLabels: {role: client}}
                  egress:
                    - toEntities: [world]
                      toPorts:
                        - ports: [{port: "53", protocol: ANY}]
                          rules: {dns: [{matchPattern: "*.test"}]}
                """);
        assertThat(loaded.errors()).isEmpty();

        Map<PolicyKey, PolicyValue> entries = PolicyEntries.desired(
                new PolicyEvaluator(loaded.policies(), PolicyContext.NONE), List.of(CLIENT),
                List.of(Identity.WORLD, Identity.HOST, SERVER), OPTIONS, Identity.HOST);

        assertThat(entries).containsEntry(PolicyKey.port(257, 2, TrafficDirection.EGRESS, 17, 53),
                PolicyValue.proxy(15053, 1));
        assertThat(entries).containsEntry(PolicyKey.port(257, 2, TrafficDirection.EGRESS, 6, 53),
                PolicyValue.proxy(15053, 1));
        assertThat(entries).containsEntry(PolicyKey.anyProtocol(257, 1, TrafficDirection.EGRESS),
                PolicyValue.deny(1));
        assertThat(entries).containsEntry(PolicyKey.port(257, 1, TrafficDirection.EGRESS, 17, 15053),
                PolicyValue.allow(0));
        assertThat(entries).containsEntry(PolicyKey.port(257, 1, TrafficDirection.EGRESS, 6, 15053),
                PolicyValue.allow(0));
        assertThat(entries).containsEntry(PolicyKey.port(257, 1, TrafficDirection.EGRESS, 6, 15001),
                PolicyValue.allow(0));
    }
}
