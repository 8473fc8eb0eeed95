package io.portcullis.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CappedLabelTest {
    @Test
    void firstValuesKeepTheirNameAndLaterOnesAreOther() {
        CappedLabel topics = new CappedLabel(2);

        assertThat(topics.of("orders")).isEqualTo("orders");
        assertThat(topics.of("payments")).isEqualTo("payments");
        assertThat(topics.of("audit")).isEqualTo("other");
        assertThat(topics.of("orders")).isEqualTo("orders");
    }

    @Test
    void aValueNamedOtherNeverTakesASlot() {
        CappedLabel topics = new CappedLabel(1);

        assertThat(topics.of("other")).isEqualTo("other");
        assertThat(topics.of("orders")).isEqualTo("orders");
    }

    @Test
    void aCapBelowOneIsRefused() {
        assertThatThrownBy(() -> new CappedLabel(0)).hasMessageContaining("at least 1");
    }
}
