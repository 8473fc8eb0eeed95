package io.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Removes a policy from the running agent (the file that holds it). */
@Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a policy by name.")
final class PolicyDeleteCommand extends ApiCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    ApiClient.Reply call(ApiClient client) throws Exception {
        return client.call("DELETE", "/v1/policies/" + name, new byte[0]);
    }

    @Override
    void printText(JsonNode body, PrintWriter out) {
        out.println("deleted " + name + ", policy revision " + body.path("revision").asLong());
    }
}
