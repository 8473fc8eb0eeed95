package io.portcullis.cli;

import picocli.CommandLine.Command;

/**
 * Policy commands: {@code validate} and {@code explain} work from files without an agent;
 * {@code import}, {@code get} and {@code delete} change or read the running agent's policies.
 */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "Validate, explain, import, list and delete policies.",
        subcommands = {ValidateCommand.class, ExplainCommand.class, PolicyImportCommand.class,
                PolicyGetCommand.class, PolicyDeleteCommand.class})
final class PolicyCommand {
}
