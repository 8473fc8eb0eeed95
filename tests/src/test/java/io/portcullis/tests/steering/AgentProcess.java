package io.portcullis.tests.steering;

import io.portcullis.tests.support.Cli;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code portcullis agent --config FILE} as a process of its own (output to {@code agent-N.log}
 * beside the config), so that it can be killed with SIGKILL or stopped with SIGTERM as on a node.
 */
final class AgentProcess {
    private static final Duration READY = Duration.ofSeconds(60);
    private final Process process;

    private AgentProcess(Process process) {
        this.process = process;
    }

    /** Starts the agent and waits until {@code portcullis status} answers that it is ready. */
    static AgentProcess start(Path config, Cli cli, int number) throws Exception {
        Path log = config.resolveSibling("agent-" + number + ".log");
        Process process = new ProcessBuilder(SteeringNode.java(), "-cp", System.getProperty("java.class.path"),
                "io.portcullis.cli.Main", "agent", "--config", config.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + READY.toNanos();
        while (cli.run("status").exit() != 0) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new AssertionError("the agent did not become ready; see " + log);
            }
            Thread.sleep(50);
        }
        return new AgentProcess(process);
    }

    /** SIGKILL: nothing of the agent runs any more, nothing was cleaned up. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM, as {@code systemctl stop} sends it: the agent stops and leaves the proxy running. */
    void stop() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IOException("the agent did not stop within 30 s of SIGTERM");
        }
    }
}
