package io.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Lists the policies in force in the running agent. */
@Command(name = "get", mixinStandardHelpOptions = true, description = "List the policies in force.")
final class PolicyGetCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ApiOptions api;

    @Override
    public Integer call() throws Exception {
        ApiClient.Reply reply = api.client().get("/v1/policies");
        if (!reply.ok()) {
            spec.commandLine().getErr().println("portcullis: " + reply.error());
            return ExitCodes.FAILURE;
        }
        PrintWriter out = spec.commandLine().getOut();
        if (api.json()) {
            out.println(ApiOptions.pretty(reply.body()));
            return ExitCodes.OK;
        }
        out.printf("%-32s %-36s %s%n", "NAME", "KIND", "SOURCE");
        for (JsonNode policy : reply.body()) {
            out.printf("%-32s %-36s %s%n", policy.path("name").asText(), policy.path("kind").asText(),
                    policy.path("source").asText());
        }
        return ExitCodes.OK;
    }
}
