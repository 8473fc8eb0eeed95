package io.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code identity list}: every identity the agent has allocated, reserved ones included. */
@Command(name = "identity", mixinStandardHelpOptions = true, description = "Security identities.",
        subcommands = IdentityCommand.ListCommand.class)
final class IdentityCommand {
    private IdentityCommand() {
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List identities and their labels.")
    static final class ListCommand extends ApiCommand {
        @Override
        ApiClient.Reply call(ApiClient client) throws Exception {
            return client.get("/v1/identities");
        }

        @Override
        void printText(JsonNode identities, PrintWriter out) {
            out.printf("%-10s %s%n", "IDENTITY", "LABELS");
            for (JsonNode identity : identities) {
                out.printf("%-10d %s%n", identity.path("identity").asInt(), Text.labels(identity.path("labels")));
            }
        }
    }
}
