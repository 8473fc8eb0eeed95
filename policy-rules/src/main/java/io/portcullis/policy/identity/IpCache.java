package io.portcullis.policy.identity;

import io.portcullis.policy.net.Ipv4Cidr;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps an IPv4 address to the identity of the longest prefix containing it, as Cilium's ipcache.
 * Endpoint and host addresses are /32 entries that win over any CIDR prefix of the same length;
 * an address no entry covers is {@link Identity#WORLD}. Immutable: build a new one on change.
 */
public final class IpCache {
    /** One prefix and what it stands for; {@code endpoint} is null for CIDR and host entries. */
    public record Entry(Ipv4Cidr prefix, Identity identity, String endpoint) {
    }

    private static final Entry WORLD = new Entry(Ipv4Cidr.ANY, Identity.WORLD, null);

    /** Index i holds the entries of prefix length {@code lengths[i]}, longest first. */
    private final int[] lengths;
    private final List<Map<Integer, Entry>> byLength;
    private final List<Entry> entries;

    private IpCache(Map<Ipv4Cidr, Entry> all) {
        Map<Integer, Map<Integer, Entry>> grouped = new HashMap<>();
        for (Entry entry : all.values()) {
            grouped.computeIfAbsent(entry.prefix().prefixLength(), k -> new HashMap<>())
                    .put(entry.prefix().address(), entry);
        }
        List<Integer> present = new ArrayList<>(grouped.keySet());
        present.sort((a, b) -> Integer.compare(b, a));
        lengths = new int[present.size()];
        byLength = new ArrayList<>();
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = present.get(i);
            byLength.add(grouped.get(lengths[i]));
        }
        entries = new ArrayList<>(all.values());
        entries.sort((a, b) -> a.prefix().compareTo(b.prefix()));
    }

    /** An ipcache of exactly these entries, as another process built them (one entry per prefix). */
    public static IpCache of(Collection<Entry> entries) {
        Map<Ipv4Cidr, Entry> all = new HashMap<>();
        for (Entry entry : entries) {
            if (all.put(entry.prefix(), entry) != null) {
                throw new IllegalArgumentException("prefix " + entry.prefix() + " appears twice");
            }
        }
        return new IpCache(all);
    }

    public static Builder builder(IdentityAllocator allocator) {
        return new Builder(allocator);
    }

    /** The entry of the longest prefix containing {@code address}, or the world entry. */
    public Entry lookup(int address) {
        for (int i = 0; i < lengths.length; i++) {
            Entry entry = byLength.get(i).get(address & Ipv4Cidr.mask(lengths[i]));
            if (entry != null) {
                return entry;
            }
        }
        return WORLD;
    }

    public Entry lookup(String ipv4) {
        return lookup(Ipv4Cidr.parseAddress(ipv4));
    }

    /** Every entry, ordered by prefix, for listing and for mirroring into the BPF ipcache. */
    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** Collects endpoints, host addresses and policy prefixes; later kinds never displace /32s. */
    public static final class Builder {
        private final IdentityAllocator allocator;
        private final Map<Ipv4Cidr, Entry> cidrs = new HashMap<>();
        private final Map<Ipv4Cidr, Entry> addresses = new HashMap<>();

        private Builder(IdentityAllocator allocator) {
            this.allocator = allocator;
        }

        public Builder endpoint(EndpointAddresses endpoint) {
            Identity identity = allocator.allocate(endpoint.labels());
            for (String ip : endpoint.ipv4Addresses()) {
                Ipv4Cidr host = new Ipv4Cidr(Ipv4Cidr.parseAddress(ip), 32);
                addresses.put(host, new Entry(host, identity, endpoint.name()));
            }
            return this;
        }

        public Builder hostAddress(String ipv4) {
            Ipv4Cidr host = new Ipv4Cidr(Ipv4Cidr.parseAddress(ipv4), 32);
            addresses.put(host, new Entry(host, Identity.HOST, null));
            return this;
        }

        /** Prefixes named by policies (see {@code Policy.cidrPrefixes}); /0 stays world. */
        public Builder cidrs(Collection<Ipv4Cidr> prefixes) {
            for (Ipv4Cidr prefix : prefixes) {
                if (prefix.prefixLength() > 0) {
                    cidrs.put(prefix, new Entry(prefix, allocator.allocateCidr(prefix), null));
                }
            }
            return this;
        }

        /**
         * Addresses the DNS proxy learned (/32 prefixes), each with the {@code fqdn:} labels of the
         * selectors it was learned for; they take the place of a policy's prefix of the same /32.
         */
        public Builder learned(Map<Ipv4Cidr, ? extends Collection<String>> addresses) {
            addresses.forEach((prefix, labels) -> cidrs.put(prefix,
                    new Entry(prefix, allocator.allocateLearned(prefix, labels), null)));
            return this;
        }

        public IpCache build() {
            Map<Ipv4Cidr, Entry> all = new HashMap<>(cidrs);
            all.putAll(addresses);
            return new IpCache(all);
        }
    }
}
