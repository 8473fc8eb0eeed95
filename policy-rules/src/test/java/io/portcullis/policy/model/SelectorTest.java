package io.portcullis.policy.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.policy.identity.LabelKey;
import io.portcullis.policy.identity.Labels;
import io.portcullis.policy.model.LabelRequirement.Operator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SelectorTest {
    /** Endpoint labels are k8s: labels. */
    private static final Labels API = Labels.parse("app=api,tier=web");
    private static final Labels DB = Labels.parse("app=db");
    /** The same keys, but from another source. */
    private static final Labels CONTAINER = Labels.parse("container:app=api,container:tier=sandbox");

    private static LabelKey key(String text) {
        return LabelKey.parse(text, LabelKey.ANY);
    }

    private static EndpointSelector expression(String key, Operator operator, String... values) {
        return new EndpointSelector(Map.of(), List.of(new LabelRequirement(key(key), operator, List.of(values))));
    }

    private static EndpointSelector labels(String... keyValues) {
        Map<LabelKey, String> labels = new java.util.TreeMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            labels.put(key(keyValues[i]), keyValues[i + 1]);
        }
        return new EndpointSelector(labels, List.of());
    }

    @Test
    void unprefixedAndAnyKeysReadEverySourceAndSourcedKeysOnlyTheirOwn() {
        for (Labels labels : List.of(API, CONTAINER)) {
            assertThat(labels("app", "api").matches(labels)).isTrue();
            assertThat(labels("any:app", "api").matches(labels)).isTrue();
        }
        assertThat(labels("k8s:app", "api").matches(API)).isTrue();
        assertThat(labels("k8s:app", "api").matches(CONTAINER)).isFalse();
        assertThat(labels("container:app", "api").matches(CONTAINER)).isTrue();
        assertThat(labels("container:app", "api").matches(API)).isFalse();
        assertThat(labels("k8s:app", "api", "tier", "web").matches(API)).isTrue();
        assertThat(labels("k8s:app", "api", "tier", "web").matches(Labels.parse("app=api"))).isFalse();
        assertThat(labels("app", "").matches(Labels.parse("app"))).isTrue();
    }

    @Test
    void eachExpressionOperatorWithEveryKindOfKey() {
        for (String prefix : List.of("", "any:", "k8s:")) {
            assertThat(expression(prefix + "app", Operator.IN, "api", "x").matches(API)).isTrue();
            assertThat(expression(prefix + "app", Operator.IN, "x").matches(API)).isFalse();
            assertThat(expression(prefix + "tier", Operator.IN, "web").matches(DB)).isFalse();
            assertThat(expression(prefix + "app", Operator.NOT_IN, "db").matches(API)).isTrue();
            assertThat(expression(prefix + "app", Operator.NOT_IN, "db").matches(DB)).isFalse();
            assertThat(expression(prefix + "tier", Operator.NOT_IN, "web").matches(DB)).isTrue();
            assertThat(expression(prefix + "tier", Operator.EXISTS).matches(API)).isTrue();
            assertThat(expression(prefix + "tier", Operator.EXISTS).matches(DB)).isFalse();
            assertThat(expression(prefix + "tier", Operator.DOES_NOT_EXIST).matches(API)).isFalse();
            assertThat(expression(prefix + "tier", Operator.DOES_NOT_EXIST).matches(DB)).isTrue();
        }
    }

    @Test
    void aSourcedExpressionIgnoresLabelsOfOtherSources() {
        Labels sandbox = Labels.parse("tier=sandbox");
        assertThat(expression("k8s:tier", Operator.NOT_IN, "sandbox").matches(sandbox)).isFalse();
        assertThat(expression("k8s:tier", Operator.IN, "sandbox").matches(sandbox)).isTrue();
        // A container:tier=sandbox label is not the k8s:tier label: NotIn holds, In does not.
        assertThat(expression("k8s:tier", Operator.NOT_IN, "sandbox").matches(CONTAINER)).isTrue();
        assertThat(expression("k8s:tier", Operator.IN, "sandbox").matches(CONTAINER)).isFalse();
        assertThat(expression("k8s:tier", Operator.DOES_NOT_EXIST).matches(CONTAINER)).isTrue();
        assertThat(expression("any:tier", Operator.NOT_IN, "sandbox").matches(CONTAINER)).isFalse();
        assertThat(expression("tier", Operator.EXISTS).matches(CONTAINER)).isTrue();
    }

    @Test
    void reservedKeysReadReservedLabels() {
        Labels host = new Labels(Map.of("reserved:host", ""));
        assertThat(labels("reserved:host", "").matches(host)).isTrue();
        assertThat(labels("host", "").matches(host)).isTrue();
        assertThat(labels("k8s:host", "").matches(host)).isFalse();
        assertThat(labels("reserved:host", "").matches(API)).isFalse();
    }

    @Test
    void labelsAndExpressionsMustAllHold() {
        EndpointSelector selector = new EndpointSelector(Map.of(key("app"), "api"),
                List.of(new LabelRequirement(key("tier"), Operator.EXISTS, List.of())));
        assertThat(selector.matches(API)).isTrue();
        assertThat(selector.matches(Labels.parse("app=api"))).isFalse();
        assertThat(selector.toString()).isEqualTo("{any:app=api, any:tier Exists}");
        assertThat(new EndpointSelector(Map.of(), List.of()).isEmpty()).isTrue();
    }
}
