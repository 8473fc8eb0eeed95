package io.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndpointConfigCommandTest {
    @TempDir
    Path dir;

    @Test
    void anOptionThatIsNotKeyEqualsValueIsAUsageErrorBeforeTheAgentIsAsked() {
        // No agent listens on this socket: the command must fail before it calls one.
        CliRun run = CliRun.of("endpoint", "config", "--socket", dir.resolve("none.sock").toString(), "web", "audit");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("option 'audit' is not KEY=VALUE (e.g. audit=on)");
    }

    @Test
    void withoutAnOptionItIsAUsageError() {
        CliRun run = CliRun.of("endpoint", "config", "--socket", dir.resolve("none.sock").toString(), "web");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("KEY=VALUE");
    }
}
