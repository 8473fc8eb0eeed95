package io.portcullis.policy.load;

import io.portcullis.config.yaml.ConfigException;
import io.portcullis.config.yaml.YamlMap;
import io.portcullis.config.yaml.YamlNode;
import io.portcullis.policy.identity.LabelKey;
import io.portcullis.policy.model.EndpointSelector;
import io.portcullis.policy.model.LabelRequirement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Label selectors as written ({@code matchLabels}, {@code matchExpressions}), one rule for keys
 * everywhere: a key may carry a source ({@code k8s:app}, {@code any:app}, {@code reserved:host});
 * without one it is {@code any:}, Cilium's default for selectors. Scoping to a namespace is
 * {@link NamespaceScope}'s job.
 */
final class SelectorParser {
    private static final Set<String> SELECTOR = Set.of("matchLabels", "matchExpressions");
    private static final Set<String> EXPRESSION = Set.of("key", "operator", "values");

    private final Findings findings;

    SelectorParser(Findings findings) {
        this.findings = findings;
    }

    EndpointSelector selector(YamlNode node) {
        int before = findings.errorCount();
        YamlMap selector = node.asMap();
        findings.checkKeys(selector, SELECTOR, Set.of());
        Map<LabelKey, String> matchLabels = new LinkedHashMap<>();
        YamlMap labels = selector.has("matchLabels")
                ? findings.attempt(() -> selector.require("matchLabels").asMap()) : null;
        if (labels != null) {
            for (String key : labels.keys()) {
                YamlNode value = labels.get(key).orElse(null);
                LabelKey parsed = findings.attempt(() -> key(key, value == null ? labels : value));
                String text = value == null ? "" : findings.attempt(value::asString);
                if (parsed != null && text != null) {
                    matchLabels.put(parsed, text);
                }
            }
        }
        List<LabelRequirement> expressions = findings.each(selector, "matchExpressions", this::requirement);
        findings.failIfMore(before);
        return new EndpointSelector(matchLabels, expressions);
    }

    private LabelRequirement requirement(YamlNode node) {
        YamlMap expression = node.asMap().allowOnly(EXPRESSION);
        YamlNode keyNode = expression.require("key");
        LabelKey key = key(keyNode.asString(), keyNode);
        YamlNode operatorNode = expression.require("operator");
        LabelRequirement.Operator operator = null;
        for (LabelRequirement.Operator candidate : LabelRequirement.Operator.values()) {
            if (candidate.wire().equals(operatorNode.asString())) {
                operator = candidate;
            }
        }
        if (operator == null) {
            throw ConfigException.at(operatorNode, "unknown operator '" + operatorNode.asString()
                    + "'; expected one of In, NotIn, Exists, DoesNotExist");
        }
        List<String> values = new ArrayList<>();
        for (YamlNode value : expression.list("values")) {
            values.add(value.asString());
        }
        boolean needsValues = operator == LabelRequirement.Operator.IN || operator == LabelRequirement.Operator.NOT_IN;
        if (needsValues && values.isEmpty()) {
            throw new ConfigException(expression.location(), Findings.child(expression, "values"),
                    "operator " + operator.wire() + " requires at least one value");
        }
        if (!needsValues && !values.isEmpty()) {
            throw ConfigException.at(expression.require("values"), "operator " + operator.wire() + " takes no values");
        }
        return new LabelRequirement(key, operator, values);
    }

    private static LabelKey key(String text, YamlNode where) {
        try {
            return LabelKey.parse(text, LabelKey.ANY);
        } catch (IllegalArgumentException e) {
            throw ConfigException.at(where, e.getMessage());
        }
    }
}
