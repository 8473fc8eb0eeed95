package io.portcullis.policy.identity;

import io.portcullis.config.KubernetesNames;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A label set, each key with its source ({@code k8s:app}); keys sorted so that equal sets are
 * equal values. A key written without a source is a {@code k8s:} label: an endpoint's own labels
 * are treated as Kubernetes labels, as a pod's are in Cilium. {@code any:} is refused: it is a
 * selector's wildcard, not a source a label can come from.
 *
 * <p>An endpoint's labels carry its namespace as {@code k8s:io.kubernetes.pod.namespace}, so that
 * namespaced policies can select it exactly as Cilium's do ({@link #ofEndpoint}).
 */
public record Labels(Map<String, String> values) {
    public static final Labels EMPTY = new Labels(Map.of());
    public static final String RESERVED_PREFIX = LabelKey.RESERVED + ":";
    public static final String CIDR_PREFIX = LabelKey.CIDR + ":";
    /** The pod-namespace label Cilium gives every endpoint and adds to namespaced selectors. */
    public static final LabelKey NAMESPACE = new LabelKey(LabelKey.K8S, "io.kubernetes.pod.namespace");
    public static final String DEFAULT_NAMESPACE = KubernetesNames.DEFAULT_NAMESPACE;

    public Labels {
        TreeMap<String, String> sorted = new TreeMap<>();
        values.forEach((k, v) -> {
            LabelKey key = LabelKey.parse(k, LabelKey.K8S);
            if (key.isAnySource()) {
                throw new IllegalArgumentException("label '" + k + "': 'any:' selects labels of every source; a label"
                        + " has one source, such as k8s:");
            }
            if (sorted.put(key.toString(), v == null ? "" : v) != null) {
                throw new IllegalArgumentException("label " + key + " is given twice");
            }
        });
        values = Collections.unmodifiableMap(sorted);
    }

    /** Parses {@code k=v,k2=v2} (a bare {@code k} means an empty value). */
    public static Labels parse(String text) {
        return new Labels(parseMap(text));
    }

    /** {@code k=v,k2=v2} as written, keys untouched; a bare {@code k} means an empty value. */
    public static Map<String, String> parseMap(String text) {
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
        return map;
    }

    /**
     * The labels of an endpoint in {@code namespace}: its own labels (as {@code k8s:} labels unless
     * they name another source) plus {@code k8s:io.kubernetes.pod.namespace}. Reserved and CIDR
     * labels are refused: they say what an identity is, and an endpoint claiming one would be
     * judged as the host or the world.
     *
     * @throws IllegalArgumentException naming the label or namespace at fault
     */
    public static Labels ofEndpoint(String namespace, Map<String, String> labels) {
        checkNamespace(namespace);
        TreeMap<String, String> all = new TreeMap<>();
        labels.forEach((k, v) -> {
            LabelKey key = LabelKey.parse(k, LabelKey.K8S);
            if (key.source().equals(LabelKey.RESERVED) || key.source().equals(LabelKey.CIDR)) {
                throw new IllegalArgumentException("label '" + k + "': " + key.source() + ": labels belong to the"
                        + " node's own identities and cannot be given to an endpoint");
            }
            if (key.equals(NAMESPACE) && !namespace.equals(v)) {
                throw new IllegalArgumentException("label '" + k + "=" + v + "' contradicts the endpoint's namespace '"
                        + namespace + "'; give the namespace as the endpoint's namespace, not as a label");
            }
            all.put(key.toString(), v);
        });
        all.put(NAMESPACE.toString(), namespace);
        return new Labels(all);
    }

    /** @throws IllegalArgumentException when {@code namespace} is not a Kubernetes namespace name */
    public static String checkNamespace(String namespace) {
        String problem = KubernetesNames.problem("namespace", namespace);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return namespace;
    }

    /**
     * These labels as an endpoint's, for label sets written before endpoints had namespaces: a set
     * of workload labels without a namespace is in {@code default}; reserved and CIDR sets stay.
     */
    public Labels inDefaultNamespaceIfUnset() {
        if (values.isEmpty() || namespace().isPresent()) {
            return this;
        }
        for (String key : values.keySet()) {
            if (key.startsWith(RESERVED_PREFIX) || key.startsWith(CIDR_PREFIX)) {
                return this;
            }
        }
        TreeMap<String, String> all = new TreeMap<>(values);
        all.put(NAMESPACE.toString(), DEFAULT_NAMESPACE);
        return new Labels(all);
    }

    /** The endpoint's namespace; empty for reserved and CIDR identities. */
    public Optional<String> namespace() {
        return Optional.ofNullable(values.get(NAMESPACE.toString()));
    }

    /**
     * The values a selector key reads: the label of that source and key, or for an {@code any:}
     * key the labels of that key from every source.
     */
    public List<String> valuesOf(LabelKey selectorKey) {
        if (!selectorKey.isAnySource()) {
            String value = values.get(selectorKey.toString());
            return value == null ? List.of() : List.of(value);
        }
        List<String> found = new ArrayList<>(1);
        values.forEach((k, v) -> {
            if (selectorKey.reads(LabelKey.parse(k, LabelKey.K8S))) {
                found.add(v);
            }
        });
        return found;
    }

    /** Every label with its source: {@code k8s:app=web,k8s:io.kubernetes.pod.namespace=default}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        values.forEach((k, v) -> out.append(out.length() == 0 ? "" : ",").append(k).append(v.isEmpty() ? "" : "=" + v));
        return out.toString();
    }

    /**
     * For people: {@code k8s:} labels without their source (the one endpoints' labels have) and
     * without the namespace label, which {@link #namespace()} reports on its own.
     */
    public String display() {
        StringBuilder out = new StringBuilder();
        String k8s = LabelKey.K8S + ":";
        values.forEach((k, v) -> {
            if (!k.equals(NAMESPACE.toString())) {
                out.append(out.length() == 0 ? "" : ",").append(k.startsWith(k8s) ? k.substring(k8s.length()) : k)
                        .append(v.isEmpty() ? "" : "=" + v);
            }
        });
        return out.toString();
    }
}
