package io.portcullis.cli;

import picocli.CommandLine.Command;

/** Policy tools that work from files, without a running agent. */
@Command(name = "policy", mixinStandardHelpOptions = true, description = "Validate and explain policies.",
        subcommands = {ValidateCommand.class, ExplainCommand.class})
final class PolicyCommand {
}
