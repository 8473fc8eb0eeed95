package io.portcullis.policy.model;

import io.portcullis.policy.identity.Labels;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code matchLabels} and {@code matchExpressions}, all of which must hold. Keys lose their
 * Cilium source prefix ({@code k8s:app} is {@code app}) exactly as {@link Labels} does.
 */
public record EndpointSelector(Map<String, String> matchLabels, List<LabelRequirement> matchExpressions) {
    public EndpointSelector {
        TreeMap<String, String> stripped = new TreeMap<>();
        matchLabels.forEach((k, v) -> stripped.put(Labels.stripSource(k), v));
        matchLabels = java.util.Collections.unmodifiableMap(stripped);
        matchExpressions = List.copyOf(matchExpressions);
    }

    /** {@code {}}: selects every endpoint (but no reserved or CIDR identity). */
    public boolean isEmpty() {
        return matchLabels.isEmpty() && matchExpressions.isEmpty();
    }

    /**
     * Whether the selector names a {@code reserved:} label. Only such selectors reach reserved
     * identities, so that e.g. {@code DoesNotExist} never silently selects {@code world}.
     */
    public boolean namesReservedLabel() {
        for (String key : matchLabels.keySet()) {
            if (key.startsWith(Labels.RESERVED_PREFIX)) {
                return true;
            }
        }
        for (LabelRequirement requirement : matchExpressions) {
            if (requirement.key().startsWith(Labels.RESERVED_PREFIX)) {
                return true;
            }
        }
        return false;
    }

    public boolean matches(Labels labels) {
        for (Map.Entry<String, String> wanted : matchLabels.entrySet()) {
            if (!wanted.getValue().equals(labels.values().get(wanted.getKey()))) {
                return false;
            }
        }
        for (LabelRequirement requirement : matchExpressions) {
            if (!requirement.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        if (isEmpty()) {
            return "{}";
        }
        StringBuilder out = new StringBuilder("{");
        matchLabels.forEach((k, v) -> out.append(out.length() == 1 ? "" : ", ").append(k).append('=').append(v));
        for (LabelRequirement requirement : matchExpressions) {
            out.append(out.length() == 1 ? "" : ", ").append(requirement);
        }
        return out.append('}').toString();
    }
}
