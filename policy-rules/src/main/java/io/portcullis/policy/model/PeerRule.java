package io.portcullis.policy.model;

import java.util.List;

/**
 * One item of {@code ingress}, {@code egress}, {@code ingressDeny} or {@code egressDeny}: the
 * peers it names (endpoints, CIDRs, entities, services; from- or to- by direction), the label
 * requirements it adds ({@code fromRequires}/{@code toRequires}), and the ports (its
 * {@code toPorts}, then its {@code icmps}).
 *
 * @param path      where it was written, e.g. {@code ingress[0]} (or {@code specs[1].ingress[0]})
 * @param endpoints endpoint selectors, already scoped to the policy's namespace
 * @param requires  {@code fromRequires}/{@code toRequires}, scoped likewise; they grant nothing
 *                  themselves but narrow every endpoint selector of the rules selecting the same
 *                  subject (see the evaluator)
 * @param ipv6Cidrs IPv6 prefixes as written: kept so that the rule still names peers, though no
 *                  IPv4 identity is among them
 * @param fqdns     {@code toFQDNs}: the peers are the addresses the DNS proxy learned for the
 *                  names they select, each an identity labelled with {@link FqdnSelector#label}
 */
public record PeerRule(String path, List<EndpointSelector> endpoints, List<EndpointSelector> requires,
                       List<CidrRule> cidrs, List<String> ipv6Cidrs, List<Entity> entities,
                       List<ServiceSelector> services, List<FqdnSelector> fqdns, List<PortRule> toPorts) {
    /** A rule without {@code toFQDNs}. */
    public PeerRule(String path, List<EndpointSelector> endpoints, List<EndpointSelector> requires,
                    List<CidrRule> cidrs, List<String> ipv6Cidrs, List<Entity> entities,
                    List<ServiceSelector> services, List<PortRule> toPorts) {
        this(path, endpoints, requires, cidrs, ipv6Cidrs, entities, services, List.of(), toPorts);
    }

    public PeerRule {
        fqdns = List.copyOf(fqdns);
        endpoints = List.copyOf(endpoints);
        requires = List.copyOf(requires);
        cidrs = List.copyOf(cidrs);
        ipv6Cidrs = List.copyOf(ipv6Cidrs);
        entities = List.copyOf(entities);
        services = List.copyOf(services);
        toPorts = List.copyOf(toPorts);
    }

    /**
     * Whether any peer is named. A rule without peers but with ports applies to every peer; a
     * rule with neither (Cilium's {@code ingress: [{}]}) allows nothing.
     */
    public boolean namesPeers() {
        return !endpoints.isEmpty() || !cidrs.isEmpty() || !ipv6Cidrs.isEmpty() || !entities.isEmpty()
                || !services.isEmpty() || !fqdns.isEmpty();
    }
}
