package io.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code identity list}: every identity the agent has allocated, reserved ones included. */
@Command(name = "identity", mixinStandardHelpOptions = true, description = "Security identities.",
        subcommands = IdentityCommand.ListCommand.class)
final class IdentityCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List identities and their labels.")
    static final class ListCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ApiOptions api;

        @Override
        public Integer call() throws Exception {
            ApiClient.Reply reply = api.client().get("/v1/identities");
            if (!reply.ok()) {
                spec.commandLine().getErr().println("portcullis: " + reply.error());
                return ExitCodes.FAILURE;
            }
            PrintWriter out = spec.commandLine().getOut();
            if (api.json()) {
                out.println(ApiOptions.pretty(reply.body()));
                return ExitCodes.OK;
            }
            out.printf("%-10s %s%n", "IDENTITY", "LABELS");
            for (JsonNode identity : reply.body()) {
                List<String> labels = new ArrayList<>();
                identity.path("labels").fields().forEachRemaining(e ->
                        labels.add(e.getValue().asText().isEmpty() ? e.getKey() : e.getKey() + "=" + e.getValue().asText()));
                out.printf("%-10d %s%n", identity.path("identity").asInt(), String.join(",", labels));
            }
            return ExitCodes.OK;
        }
    }
}
