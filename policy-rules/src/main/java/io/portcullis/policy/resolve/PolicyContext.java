package io.portcullis.policy.resolve;

import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.IpCache;
import io.portcullis.policy.model.PeerRule;
import io.portcullis.policy.model.Policy;
import io.portcullis.policy.model.PolicySpec;
import io.portcullis.policy.model.ServiceSelector;
import io.portcullis.policy.net.Ipv4Cidr;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the node knows beyond the policies that rules refer to: the ports endpoints declare by
 * name, and the services {@code toServices} names, with the identities their backends have in
 * the ipcache (a backend that is an endpoint has the endpoint's identity, any other its /32 CIDR
 * identity), and which endpoints are in audit mode. {@code policy explain} has none of these:
 * named ports and services then match nothing, and no endpoint is in audit mode.
 */
public final class PolicyContext {
    public static final PolicyContext NONE = new PolicyContext(NamedPorts.NONE, List.of(), List.of(), AuditModes.NONE);

    private final NamedPorts namedPorts;
    private final List<ServiceEntry> services;
    private final List<Set<Integer>> backendIdentities;
    private final AuditModes auditModes;

    private PolicyContext(NamedPorts namedPorts, List<ServiceEntry> services, List<Set<Integer>> backendIdentities,
                          AuditModes auditModes) {
        this.namedPorts = Objects.requireNonNull(namedPorts, "namedPorts");
        this.services = List.copyOf(services);
        this.backendIdentities = List.copyOf(backendIdentities);
        this.auditModes = Objects.requireNonNull(auditModes, "auditModes");
    }

    /** @param ipCache an ipcache holding {@link #backendPrefixes} of these services */
    public static PolicyContext of(NamedPorts namedPorts, List<ServiceEntry> services, IpCache ipCache) {
        return of(namedPorts, services, ipCache, AuditModes.NONE);
    }

    /** The same, with the endpoints whose denials are audited. */
    public static PolicyContext of(NamedPorts namedPorts, List<ServiceEntry> services, IpCache ipCache,
                                   AuditModes auditModes) {
        List<Set<Integer>> identities = new ArrayList<>();
        for (ServiceEntry service : services) {
            Set<Integer> ids = new HashSet<>();
            for (Ipv4Cidr backend : service.backends()) {
                ids.add(ipCache.lookup(backend.address()).identity().id());
            }
            identities.add(ids);
        }
        return new PolicyContext(namedPorts, services, identities, auditModes);
    }

    public AuditModes auditModes() {
        return auditModes;
    }

    public NamedPorts namedPorts() {
        return namedPorts;
    }

    public List<ServiceEntry> services() {
        return services;
    }

    /** Whether {@code peer} is a backend of a service {@code selector} names. */
    boolean isBackend(ServiceSelector selector, Identity peer) {
        for (int i = 0; i < services.size(); i++) {
            ServiceEntry service = services.get(i);
            if (selector.matches(service.name(), service.namespace(), service.labels())
                    && backendIdentities.get(i).contains(peer.id())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The backends, as /32 prefixes, of every service some {@code toServices} of {@code policies}
     * names: each needs a CIDR identity in the ipcache unless it is an endpoint.
     */
    public static Set<Ipv4Cidr> backendPrefixes(List<Policy> policies, List<ServiceEntry> services) {
        Set<Ipv4Cidr> prefixes = new TreeSet<>();
        for (Policy policy : policies) {
            for (PolicySpec spec : policy.specs()) {
                List<PeerRule> rules = new ArrayList<>(spec.egress());
                rules.addAll(spec.egressDeny());
                for (PeerRule rule : rules) {
                    for (ServiceSelector selector : rule.services()) {
                        for (ServiceEntry service : services) {
                            if (selector.matches(service.name(), service.namespace(), service.labels())) {
                                prefixes.addAll(service.backends());
                            }
                        }
                    }
                }
            }
        }
        return prefixes;
    }
}
