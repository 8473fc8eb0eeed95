package io.portcullis.cli;

import io.portcullis.agent.Agent;
import io.portcullis.config.AgentConfig;
import io.portcullis.config.AgentConfigLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the agent in the foreground until SIGINT or SIGTERM. The proxy process it supervises keeps
 * running when the agent stops, so that restarting the agent drops no connection.
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "Run the node agent: load policies, watch them, keep the kernel datapath and the proxy "
                + "enforcing them.")
final class AgentCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "agent configuration (YAML)")
    Path config;

    @Override
    public Integer call() throws Exception {
        AgentConfig loaded = AgentConfigLoader.load(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Agent agent = Agent.start(loaded);
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                agent.closeLeavingProxy();
                stopped.countDown();
            }, "portcullis-shutdown"));
            System.err.println("portcullis agent ready: listening on " + agent.listenAddresses()
                    + ", policy revision " + agent.policyRevision() + " (" + agent.policyCount() + " policies, "
                    + agent.policyErrors().size() + " errors)");
            stopped.await();
        } catch (RuntimeException e) {
            agent.closeLeavingProxy();
            throw e;
        }
        return ExitCodes.OK;
    }
}
