package io.portcullis.policy.http;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A request given as plain values, for {@code policy explain} and tests. Header names are
 * compared case-insensitively; the host is taken from {@code Host} (or {@code :authority}).
 */
public record SimpleHttpRequest(String method, String path, Map<String, List<String>> headerValues)
        implements HttpRequestView {
    public SimpleHttpRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        TreeMap<String, List<String>> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headerValues.forEach((name, values) -> byName.merge(name, List.copyOf(values), (a, b) -> {
            List<String> both = new java.util.ArrayList<>(a);
            both.addAll(b);
            return List.copyOf(both);
        }));
        headerValues = java.util.Collections.unmodifiableMap(byName);
    }

    public SimpleHttpRequest(String method, String path) {
        this(method, path, Map.of());
    }

    @Override
    public String host() {
        List<String> host = headers("host");
        if (host.isEmpty()) {
            host = headers(":authority");
        }
        return host.isEmpty() ? "" : host.get(0);
    }

    @Override
    public List<String> headers(String name) {
        return headerValues.getOrDefault(name, List.of());
    }
}
