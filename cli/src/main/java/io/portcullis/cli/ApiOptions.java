package io.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options of every command that talks to the running agent. */
final class ApiOptions {
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Mixin
    AgentSocket agent;

    @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text or json")
    OutputFormat output;

    ApiClient client() {
        return agent.client();
    }

    boolean json() {
        return output == OutputFormat.JSON;
    }

    static String pretty(JsonNode node) throws IOException {
        return PRETTY.writeValueAsString(node);
    }

    static JsonNode toJson(Object value) {
        return PRETTY.valueToTree(value);
    }
}
