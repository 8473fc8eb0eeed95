package io.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code endpoint config NAME KEY=VALUE...}: changes an endpoint's options, as Cilium's
 * {@code endpoint config ID PolicyAuditMode=true}. The agent checks keys and values and refuses
 * the whole change when one is unknown, naming the valid ones.
 */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Change an endpoint's options: audit=on|off (what its policy denies is forwarded and logged"
                + " as audit).")
final class EndpointConfigCommand extends ApiCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "KEY=VALUE")
    List<String> options;

    @Override
    ApiClient.Reply call(ApiClient client) throws Exception {
        Map<String, String> body = new LinkedHashMap<>();
        for (String option : options) {
            int equals = option.indexOf('=');
            if (equals <= 0) {
                throw new ParameterException(spec.commandLine(), "option '" + option
                        + "' is not KEY=VALUE (e.g. audit=on)");
            }
            body.put(option.substring(0, equals), option.substring(equals + 1));
        }
        return client.call("PATCH", "/v1/endpoints/" + name, JSON.writeValueAsBytes(body));
    }

    @Override
    void printText(JsonNode endpoint, PrintWriter out) {
        out.println("endpoint " + name + ": audit " + endpoint.path("audit").asText());
    }
}
