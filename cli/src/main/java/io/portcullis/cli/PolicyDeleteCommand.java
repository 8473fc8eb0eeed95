package io.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Removes a policy from the running agent (the file that holds it). */
@Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a policy by name.")
final class PolicyDeleteCommand extends NamedDeleteCommand {
    @Option(names = "--namespace", description = "the namespace of the CiliumNetworkPolicy, when several share the name")
    String namespace;

    @Option(names = "--clusterwide", description = "the CiliumClusterwideNetworkPolicy, when several share the name")
    boolean clusterwide;

    @Override
    String collection() {
        return "policies";
    }

    @Override
    ApiClient.Reply call(ApiClient client) throws Exception {
        String scope = clusterwide ? "-" : namespace;
        String query = scope == null ? "" : "?namespace=" + URLEncoder.encode(scope, StandardCharsets.UTF_8);
        return client.call("DELETE", "/v1/" + collection() + "/" + name + query, new byte[0]);
    }

    @Override
    void printText(JsonNode body, PrintWriter out) {
        out.println("deleted " + body.path("deleted").asText() + ", policy revision " + body.path("revision").asLong());
    }
}
