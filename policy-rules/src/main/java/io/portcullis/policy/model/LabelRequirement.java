package io.portcullis.policy.model;

import io.portcullis.policy.identity.Labels;
import java.util.List;
import java.util.Objects;

/** One {@code matchExpressions} item, with Kubernetes label-selector semantics. */
public record LabelRequirement(String key, Operator operator, List<String> values) {
    public enum Operator {
        IN("In"), NOT_IN("NotIn"), EXISTS("Exists"), DOES_NOT_EXIST("DoesNotExist");

        private final String wire;

        Operator(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    public LabelRequirement {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(operator, "operator");
        values = List.copyOf(values);
    }

    public boolean matches(Labels labels) {
        String value = labels.values().get(key);
        switch (operator) {
            case IN:
                return value != null && values.contains(value);
            case NOT_IN:
                return value == null || !values.contains(value);
            case EXISTS:
                return value != null;
            default:
                return value == null;
        }
    }

    @Override
    public String toString() {
        return key + " " + operator.wire() + (values.isEmpty() ? "" : " " + values);
    }
}
