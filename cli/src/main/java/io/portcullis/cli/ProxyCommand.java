package io.portcullis.cli;

import io.portcullis.api.control.ControlClient;
import io.portcullis.api.control.ProxyStatus;
import io.portcullis.config.AgentConfig;
import io.portcullis.config.AgentConfigLoader;
import io.portcullis.config.ProxyConfig;
import io.portcullis.proxy.process.ProxyMain;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code portcullis proxy --config FILE}: runs the proxy process (the agent does this itself unless
 * {@code proxy.supervise} is false); {@code upgrade}, {@code stop} and {@code status} act on the
 * running one.
 */
@Command(name = "proxy", mixinStandardHelpOptions = true,
        description = "Run the proxy process, or upgrade, stop or show the running one.",
        subcommands = {ProxyCommand.Upgrade.class, ProxyCommand.Stop.class, ProxyCommand.Status.class})
final class ProxyCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "the agent's configuration (YAML)")
    Path config;

    @Option(names = "--take-over", description = "take the listening sockets over from the running proxy, "
            + "which then drains")
    boolean takeOver;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (config == null) {
            spec.commandLine().getErr().println("portcullis proxy: --config is required to run the proxy\n"
                    + "(or: portcullis proxy upgrade | stop | status)");
            return ExitCodes.FAILURE;
        }
        List<String> args = new ArrayList<>(List.of("--config", config.toString()));
        if (takeOver) {
            args.add("--take-over");
        }
        return ProxyMain.run(args.toArray(new String[0]));
    }

    /** Where the running proxy's control socket is: given, from a configuration, or the default. */
    static final class ControlSocket {
        @Option(names = "--control-socket", paramLabel = "PATH", description = "the proxy's control socket")
        Path socket;

        @Option(names = "--config", paramLabel = "FILE", description = "the agent's configuration naming it")
        Path config;

        /** The running proxy's status; empty (and said on stderr) when none answers. */
        Optional<ProxyStatus> running(CommandSpec spec) {
            Optional<ProxyStatus> status = ControlClient.status(path());
            if (status.isEmpty()) {
                spec.commandLine().getErr().println("portcullis: no proxy answers at " + path());
            }
            return status;
        }

        Path path() {
            if (socket != null) {
                return socket;
            }
            if (config != null) {
                return AgentConfigLoader.load(config).proxy().controlSocket();
            }
            return ProxyConfig.defaults(AgentConfig.DEFAULT_API_SOCKET).controlSocket();
        }
    }

    @Command(name = "upgrade", mixinStandardHelpOptions = true,
            description = "Start a new proxy process that takes the listening sockets over; the old one drains.")
    static final class Upgrade implements Callable<Integer> {
        @Mixin
        ApiOptions api;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            ApiClient.Reply reply = api.client().call("POST", "/v1/proxy/upgrade", new byte[0]);
            if (!reply.ok()) {
                spec.commandLine().getErr().println("portcullis: " + reply.error());
                return ExitCodes.FAILURE;
            }
            spec.commandLine().getOut().println(api.json() ? ApiOptions.pretty(reply.body())
                    : "proxy upgraded: pid " + reply.body().path("pid").asText() + " accepts now");
            return ExitCodes.OK;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stop the running proxy: it stops accepting, drains its connections and ends.")
    static final class Stop implements Callable<Integer> {
        @ArgGroup(exclusive = true)
        ControlSocket where = new ControlSocket();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (where.running(spec).isEmpty()) {
                return ExitCodes.FAILURE;
            }
            ProxyStatus status = ControlClient.drain(where.path());
            spec.commandLine().getOut().println("proxy pid " + status.pid() + " drains " + status.connections()
                    + " connections and stops");
            Optional<ProcessHandle> process = ProcessHandle.of(status.pid());
            if (process.isPresent()) {
                process.get().onExit().join();
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show the running proxy.")
    static final class Status implements Callable<Integer> {
        @ArgGroup(exclusive = true)
        ControlSocket where = new ControlSocket();

        @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text or json")
        OutputFormat output;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Optional<ProxyStatus> running = where.running(spec);
            if (running.isEmpty()) {
                return ExitCodes.FAILURE;
            }
            ProxyStatus status = running.get();
            PrintWriter out = spec.commandLine().getOut();
            if (output == OutputFormat.JSON) {
                out.println(ApiOptions.pretty(ApiOptions.toJson(status)));
            } else {
                out.println("proxy:       pid " + status.pid() + (status.draining() ? " (draining)" : ""));
                out.println("agent:       " + (status.agentConnected() ? "connected" : "not connected (last policy in force)"));
                out.println("policy:      revision " + status.policyRevision() + " (snapshot " + status.generation() + ")");
                out.println("listeners:   " + String.join(", ", status.listeners()));
                out.println("connections: " + status.connections());
            }
            return ExitCodes.OK;
        }
    }
}
