package io.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.portcullis.config.yaml.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes the agent config loader with arbitrary file contents. Property: a config either loads or
 * is refused with a {@link ConfigException} naming the file and a line, never another exception.
 * Seeds: {@code AgentConfigLoaderFuzzTestInputs/} (the shipped example and variations).
 */
class AgentConfigLoaderFuzzTest {
    private static Path dir;
    private static Path file;

    @BeforeAll
    static void createFile() throws IOException {
        dir = Files.createTempDirectory("agent-config-fuzz");
        file = dir.resolve("agent.yaml");
    }

    @AfterAll
    static void deleteFile() throws IOException {
        Files.deleteIfExists(file);
        Files.delete(dir);
    }

    @FuzzTest(maxDuration = "60s")
    void loadsOrNamesTheProblem(byte[] input) throws IOException {
        Files.write(file, input);
        try {
            assertThat(AgentConfigLoader.load(file)).isNotNull();
        } catch (ConfigException refused) {
            assertThat(refused.location().toString()).startsWith(file.toString() + ":");
            assertThat(refused.problem()).isNotBlank();
        }
    }
}
