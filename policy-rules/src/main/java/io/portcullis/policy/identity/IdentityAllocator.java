package io.portcullis.policy.identity;

import io.portcullis.policy.net.Ipv4Cidr;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Hands out one identity number per distinct label set (256 and up) and one local CIDR identity
 * per prefix ({@code 1<<24 | 1} and up). Numbers are never reused or released during the
 * allocator's lifetime, so a number seen in a BPF map or an access log always means the same
 * labels. Thread-safe.
 */
public final class IdentityAllocator {
    private final Map<Labels, Identity> byLabels = new HashMap<>();
    private final Map<Integer, Identity> byId = new HashMap<>();
    private int nextEndpointId = Identity.FIRST_ALLOCATED;
    private int nextCidrId = Identity.FIRST_LOCAL_CIDR;

    public IdentityAllocator() {
        for (Identity reserved : Identity.RESERVED) {
            byLabels.put(reserved.labels(), reserved);
            byId.put(reserved.id(), reserved);
        }
    }

    /** The identity for {@code labels}; a reserved label set gets its reserved identity. */
    public synchronized Identity allocate(Labels labels) {
        Identity known = byLabels.get(labels);
        if (known != null) {
            return known;
        }
        if (nextEndpointId >= Identity.LOCAL_SCOPE) {
            throw new IllegalStateException("endpoint identity space exhausted");
        }
        return remember(new Identity(nextEndpointId++, labels));
    }

    /** The CIDR identity for {@code prefix}; {@code 0.0.0.0/0} is {@link Identity#WORLD}. */
    public synchronized Identity allocateCidr(Ipv4Cidr prefix) {
        if (prefix.prefixLength() == 0) {
            return Identity.WORLD;
        }
        Labels labels = new Labels(Map.of(Labels.CIDR_PREFIX + prefix, ""));
        Identity known = byLabels.get(labels);
        return known != null ? known : remember(new Identity(nextCidrId++, labels));
    }

    /**
     * The CIDR identity for an address the DNS proxy learned: labelled {@code cidr:<prefix>} as
     * any CIDR identity (CIDR rules select it by prefix) and with the {@code fqdn:} label of each
     * {@code toFQDNs} selector it was learned for; without such labels it is the plain CIDR identity.
     */
    public synchronized Identity allocateLearned(Ipv4Cidr prefix, Collection<String> fqdnLabels) {
        if (fqdnLabels.isEmpty()) {
            return allocateCidr(prefix);
        }
        Map<String, String> values = new TreeMap<>();
        values.put(Labels.CIDR_PREFIX + prefix, "");
        for (String label : fqdnLabels) {
            values.put(label, "");
        }
        Labels labels = new Labels(values);
        Identity known = byLabels.get(labels);
        return known != null ? known : remember(new Identity(nextCidrId++, labels));
    }

    /**
     * Takes back an identity handed out before a restart, so that numbers stay what the datapath
     * and logs already know them as. Later allocations continue above it.
     */
    public synchronized void restore(Identity identity) {
        if (identity.isReserved()) {
            return;
        }
        Identity byNumber = byId.get(identity.id());
        Identity byLabelSet = byLabels.get(identity.labels());
        if (byNumber != null || byLabelSet != null) {
            if (identity.equals(byNumber) && identity.equals(byLabelSet)) {
                return;
            }
            throw new IllegalArgumentException("identity " + identity.id() + " " + identity.labels()
                    + " conflicts with one already allocated");
        }
        remember(identity);
        if (identity.isCidr()) {
            nextCidrId = Math.max(nextCidrId, identity.id() + 1);
        } else {
            nextEndpointId = Math.max(nextEndpointId, identity.id() + 1);
        }
    }

    public synchronized Optional<Identity> byId(int id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Every identity known, reserved ones included, ordered by number. */
    public synchronized List<Identity> identities() {
        List<Identity> all = new ArrayList<>(byId.values());
        all.sort((a, b) -> Integer.compare(a.id(), b.id()));
        return all;
    }

    private Identity remember(Identity identity) {
        byLabels.put(identity.labels(), identity);
        byId.put(identity.id(), identity);
        return identity;
    }
}
