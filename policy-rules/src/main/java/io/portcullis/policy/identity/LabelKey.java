package io.portcullis.policy.identity;

import java.util.Objects;

/**
 * A label key with the source it came from, written {@code source:key} as Cilium does:
 * {@code k8s:app}, {@code reserved:host}, {@code cidr:10.0.0.0/8}. The source {@code any} only
 * appears in selectors, where it matches a label of that key from every source.
 */
public record LabelKey(String source, String key) implements Comparable<LabelKey> {
    /** Labels that came from Kubernetes: what endpoints' own labels are. */
    public static final String K8S = "k8s";
    /** In a selector: a label of any source. */
    public static final String ANY = "any";
    public static final String RESERVED = "reserved";
    public static final String CIDR = "cidr";

    public LabelKey {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(key, "key");
        if (source.isEmpty() || key.isEmpty()) {
            throw new IllegalArgumentException("label key '" + source + ":" + key + "' needs a source and a key");
        }
    }

    /**
     * Splits {@code source:key} at the first colon; a key without one gets {@code defaultSource}
     * (Cilium: {@code any} in selectors, the label's own source for labels).
     */
    public static LabelKey parse(String text, String defaultSource) {
        int colon = text.indexOf(':');
        if (colon == 0) {
            throw new IllegalArgumentException("label key '" + text + "' has an empty source");
        }
        if (colon < 0) {
            return new LabelKey(defaultSource, text);
        }
        if (colon == text.length() - 1) {
            throw new IllegalArgumentException("label key '" + text + "' has no key after its source");
        }
        return new LabelKey(text.substring(0, colon), text.substring(colon + 1));
    }

    public boolean isAnySource() {
        return ANY.equals(source);
    }

    /** Whether this selector key reads the label {@code label}: same key, and same source unless any. */
    public boolean reads(LabelKey label) {
        return key.equals(label.key) && (isAnySource() || source.equals(label.source));
    }

    @Override
    public int compareTo(LabelKey other) {
        return toString().compareTo(other.toString());
    }

    @Override
    public String toString() {
        return source + ":" + key;
    }
}
