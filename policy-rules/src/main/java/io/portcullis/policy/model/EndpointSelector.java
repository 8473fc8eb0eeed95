package io.portcullis.policy.model;

import io.portcullis.policy.identity.LabelKey;
import io.portcullis.policy.identity.Labels;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code matchLabels} and {@code matchExpressions}, all of which must hold, on keys with their
 * source as Cilium reads them: {@code k8s:app} reads only Kubernetes labels, {@code any:app} and
 * an unprefixed {@code app} read a label of that key from any source. A selector matches any
 * identity whose labels satisfy it, reserved and CIDR identities included: namespaced policies
 * only reach endpoints because their selectors require the namespace label.
 */
public record EndpointSelector(Map<LabelKey, String> matchLabels, List<LabelRequirement> matchExpressions) {
    public EndpointSelector {
        matchLabels = Collections.unmodifiableMap(new TreeMap<>(matchLabels));
        matchExpressions = List.copyOf(matchExpressions);
    }

    /** {@code {}}: selects every identity (before any namespace is added to it). */
    public boolean isEmpty() {
        return matchLabels.isEmpty() && matchExpressions.isEmpty();
    }

    /** Whether some {@code matchLabels} or {@code matchExpressions} key is exactly {@code key}. */
    public boolean hasKey(LabelKey key) {
        return matchLabels.containsKey(key) || matchExpressions.stream().anyMatch(r -> r.key().equals(key));
    }

    /** Whether some key, written {@code source:key}, starts with {@code prefix}. */
    public boolean hasKeyPrefix(String prefix) {
        return matchLabels.keySet().stream().anyMatch(k -> k.toString().startsWith(prefix))
                || matchExpressions.stream().anyMatch(r -> r.key().toString().startsWith(prefix));
    }

    /** This selector also requiring {@code key=value} (replacing a match on the same key). */
    public EndpointSelector withLabel(LabelKey key, String value) {
        Map<LabelKey, String> labels = new TreeMap<>(matchLabels);
        labels.put(key, value);
        return new EndpointSelector(labels, matchExpressions);
    }

    /** This selector also requiring {@code requirements}. */
    public EndpointSelector withRequirements(List<LabelRequirement> requirements) {
        List<LabelRequirement> all = new ArrayList<>(matchExpressions);
        all.addAll(requirements);
        return new EndpointSelector(matchLabels, all);
    }

    /** Everything this selector requires as expressions ({@code k=v} is {@code k In [v]}). */
    public List<LabelRequirement> asRequirements() {
        List<LabelRequirement> all = new ArrayList<>();
        matchLabels.forEach((k, v) -> all.add(new LabelRequirement(k, LabelRequirement.Operator.IN, List.of(v))));
        all.addAll(matchExpressions);
        return all;
    }

    public boolean matches(Labels labels) {
        for (Map.Entry<LabelKey, String> wanted : matchLabels.entrySet()) {
            if (!labels.valuesOf(wanted.getKey()).contains(wanted.getValue())) {
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
