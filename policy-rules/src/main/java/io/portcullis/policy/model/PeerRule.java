package io.portcullis.policy.model;

import java.util.List;

/**
 * One item of {@code ingress}, {@code egress}, {@code ingressDeny} or {@code egressDeny}: the
 * peers it names (endpoints, CIDRs, entities; from- or to- by direction) and the ports.
 *
 * @param path where it was written, e.g. {@code ingress[0]} (or {@code specs[1].ingress[0]})
 */
public record PeerRule(String path, List<EndpointSelector> endpoints, List<CidrRule> cidrs,
                       List<Entity> entities, List<PortRule> toPorts) {
    public PeerRule {
        endpoints = List.copyOf(endpoints);
        cidrs = List.copyOf(cidrs);
        entities = List.copyOf(entities);
        toPorts = List.copyOf(toPorts);
    }

    /**
     * Whether any peer is named. A rule without peers but with {@code toPorts} applies to every
     * peer; a rule with neither (Cilium's {@code ingress: [{}]}) allows nothing.
     */
    public boolean namesPeers() {
        return !endpoints.isEmpty() || !cidrs.isEmpty() || !entities.isEmpty();
    }
}
