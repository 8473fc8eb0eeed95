package io.portcullis.config.yaml;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A YAML mapping with string keys, in the order written. Duplicate keys are rejected on read. */
public final class YamlMap implements YamlNode {
    private final Location location;
    private final String path;
    private final Map<String, YamlNode> entries;
    private final Map<String, Location> keyLocations;

    YamlMap(Location location, String path, LinkedHashMap<String, YamlNode> entries,
            Map<String, Location> keyLocations) {
        this.location = location;
        this.path = path;
        this.entries = Collections.unmodifiableMap(entries);
        this.keyLocations = keyLocations;
    }

    @Override
    public Location location() {
        return location;
    }

    @Override
    public String path() {
        return path;
    }

    public Set<String> keys() {
        return entries.keySet();
    }

    public boolean has(String key) {
        YamlNode node = entries.get(key);
        return node != null && !(node instanceof YamlScalar s && s.isNull());
    }

    /** The value under {@code key}, absent when missing or written as null. */
    public Optional<YamlNode> get(String key) {
        return has(key) ? Optional.of(entries.get(key)) : Optional.empty();
    }

    public YamlNode require(String key) {
        return get(key).orElseThrow(() -> new ConfigException(location, child(key), "is required"));
    }

    public Optional<String> string(String key) {
        return get(key).map(YamlNode::asString);
    }

    /** The items under {@code key}, or an empty list when the key is absent. */
    public List<YamlNode> list(String key) {
        return get(key).map(n -> n.asList().items()).orElse(List.of());
    }

    /** Rejects any key not in {@code allowed}: a typo must never silently weaken a policy. */
    public YamlMap allowOnly(Set<String> allowed) {
        List<ConfigException> unknown = unknownKeys(allowed);
        if (!unknown.isEmpty()) {
            throw unknown.get(0);
        }
        return this;
    }

    /**
     * One error per key not in {@code allowed}, in the order written, for callers that report
     * every mistake of a file at once instead of stopping at the first.
     */
    public List<ConfigException> unknownKeys(Set<String> allowed) {
        List<ConfigException> unknown = new ArrayList<>();
        for (String key : entries.keySet()) {
            if (!allowed.contains(key)) {
                unknown.add(new ConfigException(keyLocations.get(key), child(key),
                        "unknown field; expected one of " + new java.util.TreeSet<>(allowed)));
            }
        }
        return unknown;
    }

    /** Where {@code key} itself is written (not its value); the map's location when absent. */
    public Location keyLocation(String key) {
        return keyLocations.getOrDefault(key, location);
    }

    String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
