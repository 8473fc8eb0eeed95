package io.portcullis.policy.identity;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A workload's label set, keys sorted so that equal sets are equal values. Keys may carry a
 * Cilium source prefix ({@code k8s:app}); the prefix is dropped, except {@code reserved:} and
 * {@code cidr:}, which name what an identity is rather than where a label came from.
 */
public record Labels(Map<String, String> values) {
    public static final Labels EMPTY = new Labels(Map.of());
    public static final String RESERVED_PREFIX = "reserved:";
    public static final String CIDR_PREFIX = "cidr:";

    public Labels {
        TreeMap<String, String> sorted = new TreeMap<>();
        values.forEach((k, v) -> sorted.put(stripSource(k), v == null ? "" : v));
        values = Collections.unmodifiableMap(sorted);
    }

    /** Parses {@code k=v,k2=v2} (a bare {@code k} means an empty value). */
    public static Labels parse(String text) {
        TreeMap<String, String> map = new TreeMap<>();
        for (String part : text.split(",")) {
            String item = part.trim();
            if (item.isEmpty()) {
                continue;
            }
            int eq = item.indexOf('=');
            if (eq == 0) {
                throw new IllegalArgumentException("label '" + item + "' has no key");
            }
            map.put(eq < 0 ? item : item.substring(0, eq), eq < 0 ? "" : item.substring(eq + 1));
        }
        return new Labels(map);
    }

    public static String stripSource(String key) {
        if (key.startsWith(RESERVED_PREFIX) || key.startsWith(CIDR_PREFIX)) {
            return key;
        }
        int colon = key.indexOf(':');
        return colon < 0 ? key : key.substring(colon + 1);
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        values.forEach((k, v) -> out.append(out.length() == 0 ? "" : ",").append(k).append(v.isEmpty() ? "" : "=" + v));
        return out.toString();
    }
}
