package io.portcullis.api.feed;

import java.util.List;
import java.util.Map;

/**
 * Everything the proxy judges by, as one value: the policy files in force (their accepted text,
 * parsed again by the proxy with the same loader), every identity with the ports its endpoints
 * declare by name, the ipcache built with them, and the services {@code toServices} may name. A
 * proxy swaps to a snapshot atomically, so a request sees one revision or the next.
 *
 * @param generation     the agent's sequence number of this snapshot, increasing
 * @param policyRevision the revision of the policy directory it carries
 * @param audit          which endpoints' denials are forwarded as audit (none when absent)
 */
public record Snapshot(long generation, long policyRevision, List<PolicyText> policies, List<IdentityEntry> identities,
                       List<IpCacheEntry> ipCache, List<ServiceEntry> services, AuditModes audit)
        implements FeedMessage {
    public Snapshot {
        policies = List.copyOf(policies);
        identities = List.copyOf(identities);
        ipCache = List.copyOf(ipCache);
        services = List.copyOf(services);
        audit = audit == null ? AuditModes.NONE : audit;
    }

    /** A snapshot in which no endpoint is in audit mode. */
    public Snapshot(long generation, long policyRevision, List<PolicyText> policies, List<IdentityEntry> identities,
                    List<IpCacheEntry> ipCache, List<ServiceEntry> services) {
        this(generation, policyRevision, policies, identities, ipCache, services, AuditModes.NONE);
    }

    /**
     * Audit mode: node-wide, or the endpoints (by name) switched to it one by one.
     *
     * @param node      {@code policyAuditMode} in the agent's configuration
     * @param endpoints names of endpoints in audit mode of their own
     */
    public record AuditModes(boolean node, List<String> endpoints) {
        public static final AuditModes NONE = new AuditModes(false, List.of());

        public AuditModes {
            endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
        }
    }

    /** A policy file's accepted content; {@code source} names it in errors and access-log records. */
    public record PolicyText(String source, String content) {
    }

    /**
     * An identity number, its labels (keys as the agent holds them, source prefixes included) and
     * the ports its endpoints declare by name ({@code http-8080=8080/tcp}).
     */
    public record IdentityEntry(int id, Map<String, String> labels, List<String> namedPorts) {
        public IdentityEntry {
            labels = Map.copyOf(labels);
            namedPorts = List.copyOf(namedPorts);
        }
    }

    /** A service as {@code toServices} sees it: name, namespace, labels and backend prefixes ({@code a.b.c.d/32}). */
    public record ServiceEntry(String name, String namespace, Map<String, String> labels, List<String> backends) {
        public ServiceEntry {
            labels = Map.copyOf(labels);
            backends = List.copyOf(backends);
        }
    }

    /** An ipcache prefix ({@code a.b.c.d/n}), the identity it stands for, and its endpoint's name or null. */
    public record IpCacheEntry(String prefix, int identity, String endpoint) {
    }
}
