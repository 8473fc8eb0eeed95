package io.portcullis.policy.model;

import io.portcullis.config.yaml.Location;
import io.portcullis.policy.net.Ipv4Cidr;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One CiliumNetworkPolicy or CiliumClusterwideNetworkPolicy document.
 *
 * @param name      {@code metadata.name}
 * @param namespace a CiliumNetworkPolicy's {@code metadata.namespace} ({@code default} when not
 *                  written); null for a CiliumClusterwideNetworkPolicy, which has none
 * @param location  where {@code metadata.name} is written, for messages
 * @param specs     {@code spec} followed by the items of {@code specs}
 * @param audit     whether the policy is annotated {@value #AUDIT_ANNOTATION}{@code : "true"}: what
 *                  it alone would deny is forwarded and reported as audit, and its allow rules grant
 *                  nothing (a dry run of the policy)
 */
public record Policy(String name, PolicyKind kind, String namespace, Location location, List<PolicySpec> specs,
                     boolean audit) {
    /** The {@code metadata.annotations} key that puts a policy in audit mode ({@code "true"} or {@code "false"}). */
    public static final String AUDIT_ANNOTATION = "portcullis.io/audit";

    public Policy {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(location, "location");
        if (kind.namespaced() == (namespace == null)) {
            throw new IllegalArgumentException(kind.wire() + (kind.namespaced() ? " needs" : " has no") + " namespace");
        }
        specs = List.copyOf(specs);
    }

    /**
     * What names this policy among all others, in decisions, the access log and the API:
     * {@code namespace/name} for a CiliumNetworkPolicy, {@code name} for a clusterwide one. Two
     * policies of one name in different namespaces, or a namespaced and a clusterwide one, are
     * different policies.
     */
    public String reference() {
        return namespace == null ? name : namespace + "/" + name;
    }

    /**
     * Every prefix named by {@code policies} in CIDR rules, {@code except} included: each needs its
     * own CIDR identity so that an excepted range is told apart from the range around it.
     */
    public static Set<Ipv4Cidr> cidrPrefixes(Collection<Policy> policies) {
        Set<Ipv4Cidr> prefixes = new TreeSet<>();
        for (Policy policy : policies) {
            for (PolicySpec spec : policy.specs) {
                for (PeerRule rule : spec.allRules()) {
                    for (CidrRule cidr : rule.cidrs()) {
                        prefixes.add(cidr.cidr());
                        prefixes.addAll(cidr.except());
                    }
                }
            }
        }
        return prefixes;
    }

    /** Every {@code toFQDNs} selector of {@code policies}: the names whose answers the DNS proxy learns. */
    public static Set<FqdnSelector> fqdnSelectors(Collection<Policy> policies) {
        Set<FqdnSelector> selectors = new LinkedHashSet<>();
        for (Policy policy : policies) {
            for (PolicySpec spec : policy.specs) {
                for (PeerRule rule : spec.allRules()) {
                    selectors.addAll(rule.fqdns());
                }
            }
        }
        return selectors;
    }
}
