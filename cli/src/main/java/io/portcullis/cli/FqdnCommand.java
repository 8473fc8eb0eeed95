package io.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code fqdn cache list}: what the DNS proxy learned for {@code toFQDNs} selectors. */
@Command(name = "fqdn", mixinStandardHelpOptions = true, description = "Names learned by the DNS proxy.",
        subcommands = FqdnCommand.CacheCommand.class)
final class FqdnCommand {
    private FqdnCommand() {
    }

    @Command(name = "cache", mixinStandardHelpOptions = true, description = "The learned names and addresses.",
            subcommands = ListCommand.class)
    static final class CacheCommand {
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List learned names, their addresses, the TTL left (negative: in the grace period) and the"
                    + " selectors they match.")
    static final class ListCommand extends ApiCommand {
        @Override
        ApiClient.Reply call(ApiClient client) throws Exception {
            return client.get("/v1/fqdn/cache");
        }

        @Override
        void printText(JsonNode learned, PrintWriter out) {
            out.printf("%-40s %-16s %8s %s%n", "NAME", "ADDRESS", "TTL", "SELECTORS");
            for (JsonNode row : learned) {
                StringBuilder selectors = new StringBuilder();
                for (JsonNode selector : row.path("selectors")) {
                    selectors.append(selectors.length() == 0 ? "" : ", ").append(selector.asText());
                }
                out.printf("%-40s %-16s %7ds %s%n", row.path("name").asText(), row.path("address").asText(),
                        row.path("ttlLeft").asLong(), selectors);
            }
        }
    }
}
