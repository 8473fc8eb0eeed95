package io.portcullis.agent.dns;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.config.DnsProxyConfig;
import io.portcullis.policy.model.FqdnSelector;
import io.portcullis.policy.net.Ipv4Cidr;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The names the DNS proxy learned and their addresses, each valid until its TTL (at least the
 * minimum TTL) and kept for the grace period after that. One name keeps at most
 * {@code maxIpsPerName} addresses (those valid longest); at most {@code maxNames} names are kept,
 * and an answer for a new name past that cap is not learned and is counted. Saved to the state
 * directory when the addresses change (a longer validity with the next expiry pass), so a
 * restarted agent allows what the workloads were told. Times are
 * epoch milliseconds, given by the caller. Thread-safe.
 */
public final class FqdnCache {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<Map<String, Object>>> ROWS = new TypeReference<>() {
    };

    /** One learned address of a name: valid until {@code expiresAt}, removed {@code grace} later. */
    public record Learned(String name, Ipv4Cidr address, long expiresAt) {
    }

    private final DnsProxyConfig config;
    private final Path file;
    /** Name -> address -> expiry. */
    private final Map<String, Map<Ipv4Cidr, Long>> names = new TreeMap<>();
    private long capped;
    /** Validity changed since the last save; saved by the next {@link #expire} (the set of addresses at once). */
    private boolean dirty;

    /** @param file where the cache is saved; null keeps it in memory only */
    public FqdnCache(DnsProxyConfig config, Path file) {
        this.config = config;
        this.file = file;
    }

    /** The cache saved in {@code file}, or an empty one when there is none. */
    public static FqdnCache load(DnsProxyConfig config, Path file) throws IOException {
        FqdnCache cache = new FqdnCache(config, file);
        if (!Files.exists(file)) {
            return cache;
        }
        try {
            for (Map<String, Object> row : JSON.readValue(file.toFile(), ROWS)) {
                cache.names.computeIfAbsent((String) row.get("name"), n -> new HashMap<>()).put(
                        Ipv4Cidr.parse(row.get("address") + "/32"), ((Number) row.get("expiresAt")).longValue());
            }
        } catch (IOException | RuntimeException e) {
            throw new IOException("learned names in " + file + " are unreadable (" + e.getMessage()
                    + "); delete the file to start without them", e);
        }
        return cache;
    }

    /**
     * Learns {@code addresses} (address -> TTL in seconds) for {@code name}. Returns whether the
     * set of learned addresses changed (a longer validity alone changes nothing the datapath sees).
     */
    public synchronized boolean learn(String name, Map<Ipv4Cidr, Long> addresses, long now) throws IOException {
        if (addresses.isEmpty()) {
            return false;
        }
        String key = FqdnSelector.normalise(name);
        Map<Ipv4Cidr, Long> known = names.get(key);
        if (known == null) {
            if (names.size() >= config.maxNames()) {
                capped++;
                return false;
            }
            known = new HashMap<>();
            names.put(key, known);
        }
        Set<Ipv4Cidr> before = Set.copyOf(known.keySet());
        long minTtl = config.minTtl().toMillis();
        for (Map.Entry<Ipv4Cidr, Long> address : addresses.entrySet()) {
            long expiresAt = now + Math.max(address.getValue() * 1000, minTtl);
            known.merge(address.getKey(), expiresAt, Math::max);
        }
        while (known.size() > config.maxIpsPerName()) {
            Ipv4Cidr soonest = null;
            for (Map.Entry<Ipv4Cidr, Long> entry : known.entrySet()) {
                if (soonest == null || entry.getValue() < known.get(soonest)) {
                    soonest = entry.getKey();
                }
            }
            known.remove(soonest);
            capped++;
        }
        boolean changed = !before.equals(known.keySet());
        if (changed) {
            save();
        } else {
            dirty = true;
        }
        return changed;
    }

    /** Removes addresses whose validity and grace period ended; returns whether any went. */
    public synchronized boolean expire(long now) throws IOException {
        long grace = config.grace().toMillis();
        boolean changed = false;
        for (var it = names.values().iterator(); it.hasNext(); ) {
            Map<Ipv4Cidr, Long> addresses = it.next();
            changed |= addresses.values().removeIf(expiresAt -> expiresAt + grace <= now);
            if (addresses.isEmpty()) {
                it.remove();
            }
        }
        if (changed || dirty) {
            save();
        }
        return changed;
    }

    /**
     * Every learned address with the {@code fqdn:} labels of the selectors among {@code selectors}
     * that match one of its names; addresses no selector matches are left out.
     */
    public synchronized Map<Ipv4Cidr, Set<String>> labels(Collection<FqdnSelector> selectors) {
        Map<Ipv4Cidr, Set<String>> labels = new LinkedHashMap<>();
        for (Map.Entry<String, Map<Ipv4Cidr, Long>> name : names.entrySet()) {
            for (FqdnSelector selector : selectors) {
                if (selector.matches(name.getKey())) {
                    for (Ipv4Cidr address : name.getValue().keySet()) {
                        labels.computeIfAbsent(address, a -> new TreeSet<>()).add(selector.label());
                    }
                }
            }
        }
        return labels;
    }

    /** Every learned (name, address), by name. */
    public synchronized List<Learned> entries() {
        List<Learned> entries = new ArrayList<>();
        names.forEach((name, addresses) -> new TreeMap<>(addresses).forEach((address, expiresAt) ->
                entries.add(new Learned(name, address, expiresAt))));
        return entries;
    }

    /** How many learned names and addresses the caps turned away. */
    public synchronized long capped() {
        return capped;
    }

    public synchronized int nameCount() {
        return names.size();
    }

    private void save() throws IOException {
        dirty = false;
        if (file == null) {
            return;
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Learned learned : entries()) {
            rows.add(Map.of("name", learned.name(), "address", Ipv4Cidr.formatAddress(learned.address().address()),
                    "expiresAt", learned.expiresAt()));
        }
        Files.createDirectories(file.getParent());
        Path temporary = Files.createTempFile(file.getParent(), ".fqdn-", ".tmp");
        try {
            JSON.writeValue(temporary.toFile(), rows);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
