package io.portcullis.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/portcullis}: the agent, the demo and the offline policy tools behind one command. */
@Command(name = "portcullis", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "L7-aware proxy that enforces HTTP API rules per source identity.",
        subcommands = {AgentCommand.class, ProxyCommand.class, DemoCommand.class, StatusCommand.class, PolicyCommand.class,
                IdentityCommand.class, FqdnCommand.class, EndpointCommand.class, ObserveCommand.class,
                PrefilterCommand.class, ServiceCommand.class, BpfCommand.class, UninstallCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    /** One line per log record on stderr: time, level, what happened. Overridable with -D. */
    private static final String LOG_FORMAT = "%1$tFT%1$tT.%1$tL%1$tz %4$s %5$s%6$s%n";

    public static void main(String[] args) {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", LOG_FORMAT);
        }
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests call {@code execute} on it with their own streams. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main());
        // Everything after the endpoint name belongs to the command run inside it, options included.
        commandLine.getSubcommands().get("endpoint").getSubcommands().get("exec").setStopAtPositional(true);
        return commandLine
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("portcullis: " + e.getMessage());
                    return ExitCodes.FAILURE;
                });
    }
}
