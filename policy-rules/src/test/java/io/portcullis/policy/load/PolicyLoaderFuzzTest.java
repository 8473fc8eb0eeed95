package io.portcullis.policy.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.portcullis.config.yaml.ConfigException;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the policy loader (YAML reader, PolicyParser and everything under it) with arbitrary
 * file contents. Properties: it never throws, whatever the text (its contract); every problem it
 * reports names the file, a line and a reason; and a file that loads without errors loads the same
 * way twice. Seeds: {@code PolicyLoaderFuzzTestInputs/} (the example and compatibility policies).
 */
class PolicyLoaderFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void loadsOrNamesEveryProblem(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        LoadResult result = PolicyLoader.parse("fuzz.yaml", text);
        for (ConfigException problem : result.errors()) {
            assertThat(problem.location().toString()).startsWith("fuzz.yaml:");
            assertThat(problem.problem()).isNotBlank();
        }
        for (ConfigException problem : result.warnings()) {
            assertThat(problem.problem()).isNotBlank();
        }
        if (result.errors().isEmpty()) {
            assertThat(PolicyLoader.parse("fuzz.yaml", text).policies()).hasSameSizeAs(result.policies());
        }
    }
}
