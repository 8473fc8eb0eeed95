package io.portcullis.redirect;

import io.portcullis.bpf.maps.PolicyKey;
import io.portcullis.bpf.maps.PolicyValue;
import io.portcullis.bpf.maps.TrafficDirection;
import io.portcullis.policy.export.L4Entry;
import io.portcullis.policy.export.PolicyExport;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.model.Policy;
import io.portcullis.policy.model.Protocol;
import io.portcullis.policy.resolve.Direction;
import io.portcullis.policy.resolve.PolicyEvaluator;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The content of the policy map ({@link io.portcullis.bpf.maps.MapNames#POLICY}) for a set of
 * policies: every local endpoint identity against every known identity, both directions, as LPM
 * keys (see lib/policy.h; ICMP keyed by message type). L7 verdicts become PROXY entries carrying
 * the proxy port (the DNS proxy's for DNS rules), denials only policies in audit mode make AUDIT entries; the rule id is the
 * deciding policy's position in the policy list plus one (0: no policy decided).
 */
final class PolicyEntries {
    private PolicyEntries() {
    }

    /**
     * @param policy        the evaluator connections are judged with, so the kernel and the proxy agree
     * @param proxyIdentity what the proxy address is in the ipcache: every local endpoint may send to
     *                      the proxies' ports there, as steering sends it (the proxies judge, not TC)
     */
    static Map<PolicyKey, PolicyValue> desired(PolicyEvaluator policy, Collection<Identity> locals,
                                               Collection<Identity> remotes, SteeringOptions options,
                                               Identity proxyIdentity) {
        List<Policy> policies = policy.policies();
        Map<String, Integer> ruleIds = new HashMap<>();
        for (int i = 0; i < policies.size(); i++) {
            ruleIds.putIfAbsent(policies.get(i).reference(), i + 1);
        }
        Map<PolicyKey, PolicyValue> desired = new LinkedHashMap<>();
        for (L4Entry entry : new PolicyExport(policy).export(locals, remotes)) {
            int ruleId = entry.policy() == null ? 0 : ruleIds.getOrDefault(entry.policy(), 0);
            PolicyValue value = value(entry, ruleId, entry.dns() ? options.dnsProxyPort() : options.proxyPort());
            for (PolicyKey key : keys(entry)) {
                desired.put(key, value);
            }
        }
        for (Identity local : locals) {
            desired.put(PolicyKey.port(local.id(), proxyIdentity.id(), TrafficDirection.EGRESS, Protocol.TCP.ipProtocol(),
                    options.proxyPort()), PolicyValue.allow(0));
            for (Protocol protocol : List.of(Protocol.UDP, Protocol.TCP)) {
                desired.put(PolicyKey.port(local.id(), proxyIdentity.id(), TrafficDirection.EGRESS,
                        protocol.ipProtocol(), options.dnsProxyPort()), PolicyValue.allow(0));
            }
        }
        return desired;
    }

    private static PolicyValue value(L4Entry entry, int ruleId, int proxyPort) {
        switch (entry.verdict()) {
            case ALLOWED:
                return PolicyValue.allow(ruleId);
            case L7:
                return PolicyValue.proxy(proxyPort, ruleId);
            default:
                return entry.audit() ? PolicyValue.audit(ruleId) : PolicyValue.deny(ruleId);
        }
    }

    private static List<PolicyKey> keys(L4Entry entry) {
        TrafficDirection direction = entry.direction() == Direction.INGRESS ? TrafficDirection.INGRESS
                : TrafficDirection.EGRESS;
        if (entry.protocol() == Protocol.ANY) {
            return List.of(PolicyKey.anyProtocol(entry.localId(), entry.remoteId(), direction));
        }
        int protocol = entry.protocol().ipProtocol();
        if (entry.allPorts()) {
            return List.of(PolicyKey.anyPort(entry.localId(), entry.remoteId(), direction, protocol));
        }
        return PolicyKey.portRange(entry.localId(), entry.remoteId(), direction, protocol, entry.fromPort(),
                entry.toPort());
    }
}
