package io.portcullis.redirect;

import io.portcullis.bpf.maps.PolicyKey;
import io.portcullis.bpf.maps.PolicyValue;
import io.portcullis.bpf.maps.TrafficDirection;
import io.portcullis.policy.export.L4Entry;
import io.portcullis.policy.export.PolicyExport;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.model.Policy;
import io.portcullis.policy.resolve.Direction;
import io.portcullis.policy.resolve.Protocol;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The content of {@code portcullis_policy_v1} for a set of policies: every local endpoint
 * identity against every known identity, both directions, as LPM keys (see lib/policy.h). L7
 * verdicts become PROXY entries carrying the proxy port; the rule id is the deciding policy's
 * position in the policy list plus one (0: no policy selects the direction).
 */
final class PolicyEntries {
    private PolicyEntries() {
    }

    static Map<PolicyKey, PolicyValue> desired(List<Policy> policies, Collection<Identity> locals,
                                               Collection<Identity> remotes, int proxyPort) {
        Map<String, Integer> ruleIds = new HashMap<>();
        for (int i = 0; i < policies.size(); i++) {
            ruleIds.putIfAbsent(policies.get(i).name(), i + 1);
        }
        Map<PolicyKey, PolicyValue> desired = new LinkedHashMap<>();
        for (L4Entry entry : new PolicyExport(policies).export(locals, remotes)) {
            int ruleId = entry.policy() == null ? 0 : ruleIds.getOrDefault(entry.policy(), 0);
            PolicyValue value = value(entry, ruleId, proxyPort);
            for (PolicyKey key : keys(entry)) {
                desired.put(key, value);
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
                return PolicyValue.deny(ruleId);
        }
    }

    private static List<PolicyKey> keys(L4Entry entry) {
        TrafficDirection direction = entry.direction() == Direction.INGRESS ? TrafficDirection.INGRESS
                : TrafficDirection.EGRESS;
        if (entry.protocol() == Protocol.ANY) {
            return List.of(PolicyKey.anyProtocol(entry.localId(), entry.remoteId(), direction));
        }
        int protocol = ipProtocol(entry.protocol());
        if (entry.allPorts()) {
            return List.of(PolicyKey.anyPort(entry.localId(), entry.remoteId(), direction, protocol));
        }
        return PolicyKey.portRange(entry.localId(), entry.remoteId(), direction, protocol, entry.fromPort(),
                entry.toPort());
    }

    /** IPPROTO_* numbers. */
    static int ipProtocol(Protocol protocol) {
        switch (protocol) {
            case TCP:
                return 6;
            case UDP:
                return 17;
            case SCTP:
                return 132;
            default:
                throw new IllegalArgumentException("no IP protocol number for " + protocol);
        }
    }
}
