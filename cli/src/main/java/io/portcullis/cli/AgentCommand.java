package io.portcullis.cli;

import io.portcullis.agent.Agent;
import io.portcullis.config.AgentConfig;
import io.portcullis.config.AgentConfigLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the agent in the foreground until SIGINT or SIGTERM. */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "Run the node agent: load policies, watch them, enforce them in the proxy.")
final class AgentCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "agent configuration (YAML)")
    Path config;

    @Override
    public Integer call() throws Exception {
        AgentConfig loaded = AgentConfigLoader.load(config);
        CountDownLatch stopped = new CountDownLatch(1);
        try (Agent agent = Agent.start(loaded)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                agent.close();
                stopped.countDown();
            }, "portcullis-shutdown"));
            System.err.println("portcullis agent ready: listening on " + agent.listenAddresses()
                    + ", policy revision " + agent.policyRevision() + " (" + agent.policyCount() + " policies, "
                    + agent.policyErrors().size() + " errors)");
            stopped.await();
        }
        return ExitCodes.OK;
    }
}
