package io.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** Removes a policy from the running agent (the file that holds it). */
@Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a policy by name.")
final class PolicyDeleteCommand extends NamedDeleteCommand {
    @Override
    String collection() {
        return "policies";
    }

    @Override
    void printText(JsonNode body, PrintWriter out) {
        out.println("deleted " + name + ", policy revision " + body.path("revision").asLong());
    }
}
