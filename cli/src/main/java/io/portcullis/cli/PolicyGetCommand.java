package io.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** Lists the policies in force in the running agent. */
@Command(name = "get", mixinStandardHelpOptions = true, description = "List the policies in force.")
final class PolicyGetCommand extends ApiCommand {
    @Override
    ApiClient.Reply call(ApiClient client) throws Exception {
        return client.get("/v1/policies");
    }

    @Override
    void printText(JsonNode policies, PrintWriter out) {
        out.printf("%-16s %-32s %-36s %s%n", "NAMESPACE", "NAME", "KIND", "SOURCE");
        for (JsonNode policy : policies) {
            String namespace = policy.path("namespace").isNull() ? "-" : policy.path("namespace").asText();
            out.printf("%-16s %-32s %-36s %s%n", namespace, policy.path("name").asText(), policy.path("kind").asText(),
                    policy.path("source").asText());
        }
    }
}
