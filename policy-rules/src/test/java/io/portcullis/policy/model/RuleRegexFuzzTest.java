package io.portcullis.policy.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes rule regular expressions (the {@code method}, {@code path} and {@code host} of HTTP rules)
 * and the values they are matched against. Properties: an expression either compiles or is refused
 * with an {@link InvalidRegexException}, never another exception nor an exhausted heap; and
 * matching ends in time linear in the value (the run's per-input timeout fails a slow one). A
 * literal matches only itself. Seeds: {@code RuleRegexFuzzTestInputs/}.
 */
class RuleRegexFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void compilesOrRefusesAndMatchesInLinearTime(FuzzedDataProvider data) {
        String regex = data.consumeString(200);
        String value = data.consumeRemainingAsString();
        WholeValueRegex compiled;
        try {
            compiled = WholeValueRegex.compile(regex);
        } catch (InvalidRegexException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        boolean matched = compiled.matches(value.repeat(Math.max(1, 20_000 / Math.max(1, value.length()))));
        if (regex.chars().allMatch(Character::isLetterOrDigit)) {
            assertThat(compiled.matches(regex)).isTrue();
            assertThat(matched).isEqualTo(value.repeat(Math.max(1, 20_000 / Math.max(1, value.length())))
                    .equals(regex));
        }
    }
}
