package io.portcullis.tests.steering;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.tests.support.Privileges;
import io.portcullis.tests.support.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code datapath: bpf} started by an unprivileged user refuses to start, says why, and points at
 * {@code datapath: none} — rather than half-starting without its kernel programs.
 */
class BpfNeedsRootTest {
    @TempDir
    Path dir;

    @Test
    void anUnprivilegedAgentExplainsAndSuggestsDatapathNone() throws Exception {
        Privileges.requireRoot("switching to an unprivileged user with setpriv");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jar = Files.copy(Path.of("..", "cli", "target", "portcullis.jar"), dir.resolve("portcullis.jar"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.createDirectories(dir.resolve("policies"));
        Path config = Files.writeString(dir.resolve("agent.yaml"), """
                datapath: bpf
                policyDir: policies
                accessLog: off
                apiSocket: /tmp/portcullis-unprivileged-%d.sock
                stateDir: state
                """.formatted(ProcessHandle.current().pid()));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

        ProcessRunner.Result run = ProcessRunner.run(List.of("setpriv", "--reuid=65534", "--regid=65534",
                "--clear-groups", java, "-jar", jar.toString(), "agent", "--config", config.toString()));

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(1);
        assertThat(run.stderr()).contains("datapath: bpf needs root").contains("set datapath: none");
    }
}
