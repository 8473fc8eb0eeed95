package io.portcullis.policy.resolve;

import java.util.Set;

/**
 * Which endpoints' denials are audited rather than enforced: every endpoint when the node is in
 * audit mode, else those switched to it one by one. Addresses outside any endpoint (the world,
 * the host, CIDRs) are never in audit mode.
 *
 * @param node      node-wide audit mode
 * @param endpoints the names of endpoints in audit mode of their own
 */
public record AuditModes(boolean node, Set<String> endpoints) {
    public static final AuditModes NONE = new AuditModes(false, Set.of());

    public AuditModes {
        endpoints = Set.copyOf(endpoints);
    }

    /** How the denials of {@code endpoint}'s rules are handled; null (no endpoint) is enforced. */
    public Audit of(String endpoint) {
        if (endpoint == null) {
            return Audit.NONE;
        }
        return node ? Audit.NODE : endpoints.contains(endpoint) ? Audit.ENDPOINT : Audit.NONE;
    }
}
