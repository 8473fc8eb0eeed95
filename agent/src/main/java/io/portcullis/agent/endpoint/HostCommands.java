package io.portcullis.agent.endpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the iproute2 commands that plumb endpoints, and writes sysctls. A failing command becomes an
 * exception with the command line and what it printed, since that is what an operator needs.
 */
final class HostCommands {
    private static final long TIMEOUT_SECONDS = 20;

    private HostCommands() {
    }

    /** Runs {@code ip ARGS...}; fails with its stderr. */
    static String ip(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("ip");
        command.addAll(Arrays.asList(args));
        return run(command, true);
    }

    /** Runs {@code ip ARGS...} and ignores failure: for removing what may already be gone. */
    static void ipQuietly(String... args) {
        List<String> command = new ArrayList<>();
        command.add("ip");
        command.addAll(Arrays.asList(args));
        try {
            run(command, false);
        } catch (IOException ignored) {
            // Cleanup of something that is not there is not an error.
        }
    }

    static void sysctl(String key, String value) throws IOException {
        Files.writeString(Path.of("/proc/sys", key.replace('.', '/')), value);
    }

    private static String run(List<String> command, boolean check) throws IOException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("cannot run " + command.get(0) + " (" + e.getMessage()
                    + "); install iproute2", e);
        }
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
        if (check && process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (exit " + process.exitValue() + "): " + output);
        }
        return output;
    }
}
