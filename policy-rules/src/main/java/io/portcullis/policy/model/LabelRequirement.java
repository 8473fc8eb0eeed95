package io.portcullis.policy.model;

import io.portcullis.policy.identity.LabelKey;
import io.portcullis.policy.identity.Labels;
import java.util.List;
import java.util.Objects;

/**
 * One {@code matchExpressions} item, with Kubernetes label-selector semantics on the labels its
 * key reads (see {@link LabelKey#reads}): for an {@code any:} key, every label of that key.
 */
public record LabelRequirement(LabelKey key, Operator operator, List<String> values) {
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
        List<String> present = labels.valuesOf(key);
        switch (operator) {
            case IN:
                return present.stream().anyMatch(values::contains);
            case NOT_IN:
                return present.stream().noneMatch(values::contains);
            case EXISTS:
                return !present.isEmpty();
            default:
                return present.isEmpty();
        }
    }

    @Override
    public String toString() {
        return key + " " + operator.wire() + (values.isEmpty() ? "" : " " + values);
    }
}
