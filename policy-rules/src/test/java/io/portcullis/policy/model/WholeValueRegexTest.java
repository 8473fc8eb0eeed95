package io.portcullis.policy.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        assertThat(WholeValueRegex.compile("/v[0-9]{1,3}/(?P<rest>.*)").matches("/v12/x")).isTrue();
        assertThatThrownBy(() -> WholeValueRegex.compile("(")).isInstanceOf(InvalidRegexException.class)
                .hasMessage("missing closing ) `(`");
    }

    @Test
    void refusesTheSyntaxThatNeedsBacktracking() {
        assertThatThrownBy(() -> WholeValueRegex.compile("/(?!admin).*")).isInstanceOf(InvalidRegexException.class)
                .hasMessage("lookaround `(?!` is not supported (RE2 syntax)");
        assertThatThrownBy(() -> WholeValueRegex.compile("/(?<=x)y")).isInstanceOf(InvalidRegexException.class)
                .hasMessage("lookaround `(?<=` is not supported (RE2 syntax)");
        assertThatThrownBy(() -> WholeValueRegex.compile("/(a)\\1")).isInstanceOf(InvalidRegexException.class)
                .hasMessage("backreference `\\1` is not supported (RE2 syntax)");
        assertThatThrownBy(() -> WholeValueRegex.compile("(?P<x>a)\\k<x>")).isInstanceOf(InvalidRegexException.class)
                .hasMessage("backreference `\\k` is not supported (RE2 syntax)");
        assertThat(WholeValueRegex.compile("[(?=]\\(?!").matches("?(!")).isTrue();
        assertThatThrownBy(() -> WholeValueRegex.compile("a++")).isInstanceOf(InvalidRegexException.class)
                .hasMessage("invalid nested repetition operator `++`");
    }

    @Test
    void refusesRepeatsThatExpandBeyondTheLimitBeforeCompiling() {
        assertThatThrownBy(() -> WholeValueRegex.compile("((a{1000}){1000}){1000}"))
                .isInstanceOf(InvalidRegexException.class).hasMessageContaining("expression too large");
        assertThatThrownBy(() -> WholeValueRegex.compile("(x(a{100}){100})"))
                .isInstanceOf(InvalidRegexException.class).hasMessageContaining("expression too large");
        assertThat(WholeValueRegex.compile("(a{50}){50}").matches("a".repeat(2500))).isTrue();
        assertThat(WholeValueRegex.compile("[a{}]{2}x{,3}").matches("{}x{,3}")).isTrue();
    }

    @Test
    void matchesInLinearTimeWhereABacktrackingEngineWouldNotFinish() {
        WholeValueRegex nested = WholeValueRegex.compile("/(a+)+b");
        String attack = "/" + "a".repeat(50_000) + "!";
        long start = System.nanoTime();
        assertThat(nested.matches(attack)).isFalse();
        assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
    }
}
