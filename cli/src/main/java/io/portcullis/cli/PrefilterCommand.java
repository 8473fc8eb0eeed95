package io.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code prefilter add|list|delete}: the XDP CIDR prefilter on the uplink. */
@Command(name = "prefilter", mixinStandardHelpOptions = true,
        description = "CIDRs dropped by XDP on the uplink before the network stack.",
        subcommands = {PrefilterCommand.Add.class, PrefilterCommand.ListAll.class, PrefilterCommand.Delete.class})
final class PrefilterCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PrefilterCommand() {
    }

    /** PUT or DELETE the CIDRs and print which changed. */
    abstract static class Change extends ApiCommand {
        @Parameters(paramLabel = "CIDR", arity = "1..*", description = "e.g. 192.0.2.0/24 or 198.51.100.7")
        List<String> cidrs;

        abstract String method();

        /** The answer's field listing what changed. */
        abstract String changed();

        @Override
        ApiClient.Reply call(ApiClient client) throws Exception {
            byte[] body = JSON.writeValueAsString(Map.of("cidrs", cidrs)).getBytes(StandardCharsets.UTF_8);
            return client.call(method(), "/v1/prefilter", body);
        }

        @Override
        void printText(JsonNode body, PrintWriter out) {
            List<String> changed = Text.strings(body.path(changed()));
            out.println(changed() + ": " + (changed.isEmpty() ? "none" : String.join(" ", changed)));
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Drop traffic from these CIDRs.")
    static final class Add extends Change {
        @Override
        String method() {
            return "PUT";
        }

        @Override
        String changed() {
            return "added";
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Stop dropping these CIDRs.")
    static final class Delete extends Change {
        @Override
        String method() {
            return "DELETE";
        }

        @Override
        String changed() {
            return "deleted";
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Blocked CIDRs and the packets each dropped.")
    static final class ListAll extends ApiCommand {
        @Override
        ApiClient.Reply call(ApiClient client) throws Exception {
            return client.get("/v1/prefilter");
        }

        @Override
        void printText(JsonNode rows, PrintWriter out) {
            Table.print(out, rows, "no prefixes blocked");
        }
    }
}
