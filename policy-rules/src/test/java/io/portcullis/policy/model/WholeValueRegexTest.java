package io.portcullis.policy.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.Test;

class WholeValueRegexTest {
    @Test
    void literalsAndRegexesBothMatchTheWholeValue() {
        assertThat(WholeValueRegex.compile("/health").matches("/health")).isTrue();
        assertThat(WholeValueRegex.compile("/health").matches("/healthz")).isFalse();
        assertThat(WholeValueRegex.compile("/public/.*").matches("/public/a")).isTrue();
        assertThat(WholeValueRegex.compile("/public/.*").matches("/x/public/a")).isFalse();
        assertThat(WholeValueRegex.compile("GET|HEAD").matches("HEAD")).isTrue();
        assertThat(WholeValueRegex.compile("GET|HEAD").matches("GETHEAD")).isFalse();
        assertThatThrownBy(() -> WholeValueRegex.compile("(")).isInstanceOf(PatternSyntaxException.class);
    }
}
