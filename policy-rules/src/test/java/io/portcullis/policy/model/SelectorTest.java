package io.portcullis.policy.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.policy.identity.Labels;
import io.portcullis.policy.model.LabelRequirement.Operator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SelectorTest {
    private static final Labels API = Labels.parse("app=api,tier=web");
    private static final Labels DB = Labels.parse("app=db");

    private static EndpointSelector expression(String key, Operator operator, String... values) {
        return new EndpointSelector(Map.of(), List.of(new LabelRequirement(key, operator, List.of(values))));
    }

    @Test
    void matchLabelsNeedsEveryLabelAndIgnoresSourcePrefixes() {
        EndpointSelector selector = new EndpointSelector(Map.of("k8s:app", "api", "tier", "web"), List.of());
        assertThat(selector.matches(API)).isTrue();
        assertThat(selector.matches(Labels.parse("app=api"))).isFalse();
        assertThat(selector.matches(new Labels(Map.of("k8s:app", "api", "any:tier", "web")))).isTrue();
        assertThat(new EndpointSelector(Map.of("app", ""), List.of()).matches(Labels.parse("app"))).isTrue();
    }

    @Test
    void eachExpressionOperator() {
        assertThat(expression("app", Operator.IN, "api", "x").matches(API)).isTrue();
        assertThat(expression("app", Operator.IN, "x").matches(API)).isFalse();
        assertThat(expression("tier", Operator.IN, "web").matches(DB)).isFalse();
        assertThat(expression("app", Operator.NOT_IN, "db").matches(API)).isTrue();
        assertThat(expression("app", Operator.NOT_IN, "db").matches(DB)).isFalse();
        assertThat(expression("tier", Operator.NOT_IN, "web").matches(DB)).isTrue();
        assertThat(expression("tier", Operator.EXISTS).matches(API)).isTrue();
        assertThat(expression("tier", Operator.EXISTS).matches(DB)).isFalse();
        assertThat(expression("tier", Operator.DOES_NOT_EXIST).matches(API)).isFalse();
        assertThat(expression("tier", Operator.DOES_NOT_EXIST).matches(DB)).isTrue();
    }

    @Test
    void labelsAndExpressionsMustAllHold() {
        EndpointSelector selector = new EndpointSelector(Map.of("app", "api"),
                List.of(new LabelRequirement("tier", Operator.EXISTS, List.of())));
        assertThat(selector.matches(API)).isTrue();
        assertThat(selector.matches(Labels.parse("app=api"))).isFalse();
        assertThat(selector.toString()).isEqualTo("{app=api, tier Exists}");
        assertThat(new EndpointSelector(Map.of(), List.of()).isEmpty()).isTrue();
    }
}
