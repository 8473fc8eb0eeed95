package io.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A program run inside an endpoint the way {@code portcullis endpoint exec} runs it: it joins the
 * endpoint's cgroup (so bpf_sock judges and steers its connects) and then its network namespace.
 * Output goes to files in a directory of the caller's, so a chatty program never blocks on a full
 * pipe and a failed server's log can be shown.
 */
final class EndpointProcess implements AutoCloseable {
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final String name;
    private final Process process;
    private final Path log;

    private EndpointProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** What a program finished with: its exit code (-1 when it was killed at its timeout) and output. */
    record Result(int exitCode, String stdout, String stderr) {
        boolean timedOut() {
            return exitCode == -1;
        }
    }

    /**
     * The argv that runs {@code command} inside {@code endpoint} (an endpoint as the agent's API
     * returns it). The cgroup is joined first: 'ip netns exec' remounts /sys, hiding the cgroup tree.
     */
    static List<String> inside(JsonNode endpoint, List<String> command) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", "echo $$ > \"$0/cgroup.procs\" && exec \"$@\"",
                endpoint.path("cgroup").asText(), "ip", "netns", "exec", endpoint.path("netns").asText()));
        argv.addAll(command);
        return argv;
    }

    /** Starts a server inside {@code endpoint}; its stdout and stderr go to {@code dir/name.log}. */
    static EndpointProcess start(String name, JsonNode endpoint, List<String> command, Path dir) throws IOException {
        Path log = dir.resolve(name + ".log");
        Process process = new ProcessBuilder(inside(endpoint, command)).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        return new EndpointProcess(name, process, log);
    }

    /** Waits for the server's {@code READY} line; fails with its output when it exits or takes too long. */
    void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.readString(log).lines().anyMatch("READY"::equals)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the " + name + " workload exited (" + process.exitValue()
                        + ") before it was ready: " + Files.readString(log).strip());
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the " + name + " workload was not ready within " + timeout.toSeconds()
                + " s; its output so far: " + Files.readString(log).strip());
    }

    /**
     * Runs a client inside {@code endpoint} to its end, with {@code stdin} as its input, killing it
     * after {@code timeout}.
     */
    static Result run(JsonNode endpoint, List<String> command, String stdin, Duration timeout, Path dir)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "client", ".out");
        Path err = Files.createTempFile(dir, "client", ".err");
        Process process = null;
        try {
            process = new ProcessBuilder(inside(endpoint, command))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try (var input = process.getOutputStream()) {
                input.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            int exit = -1;
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                exit = process.exitValue();
            } else {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            return new Result(exit, Files.readString(out), Files.readString(err));
        } finally {
            // Also on an interrupt or a failed write: no client outlives the call, no file stays behind.
            if (process != null) {
                process.destroyForcibly();
            }
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Asks the program to stop (SIGTERM, so it can clean up) without waiting: servers stop side by side. */
    void signalStop() {
        process.destroy();
    }

    /** Stops the program (SIGTERM) and waits; kills it if it has not stopped within 15 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
