package io.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.config.ServiceConfig;
import io.portcullis.policy.identity.Labels;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code service create|list|delete}: VIPs the kernel balances over backends. */
@Command(name = "service", mixinStandardHelpOptions = true,
        description = "Services: a virtual IP and port that the kernel balances over backends.",
        subcommands = {ServiceCommand.Create.class, ServiceCommand.ListAll.class, ServiceCommand.Delete.class})
final class ServiceCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ServiceCommand() {
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a service, or replace the one of that name.")
    static final class Create extends ApiCommand {
        @Parameters(paramLabel = "NAME", description = "lowercase letters, digits and '-'")
        String name;

        @Option(names = "--vip", required = true, paramLabel = "IP:PORT", description = "the address clients connect to")
        String vip;

        @Option(names = "--backend", required = true, paramLabel = "IP:PORT",
                description = "a backend; repeat for each (an endpoint's address counts only while the endpoint exists)")
        List<String> backends;

        @Option(names = "--protocol", defaultValue = "tcp", paramLabel = "tcp|udp",
                description = "the frontend's protocol (default: ${DEFAULT-VALUE})")
        ServiceConfig.Protocol protocol;

        @Option(names = "--algorithm", defaultValue = "random", paramLabel = "random|maglev",
                description = "how a backend is picked: random, or maglev consistent hashing (default: ${DEFAULT-VALUE})")
        ServiceConfig.Algorithm algorithm;

        @Option(names = "--namespace", paramLabel = "NAMESPACE",
                description = "the namespace policies' toServices find it in (default: default)")
        String namespace;

        @Option(names = "--labels", paramLabel = "k=v,...", description = "labels a toServices k8sServiceSelector matches")
        String labels;

        @Override
        ApiClient.Reply call(ApiClient client) throws Exception {
            ObjectNode body = JSON.createObjectNode();
            body.put("vip", vip);
            body.put("protocol", protocol.name());
            ArrayNode list = body.putArray("backends");
            backends.forEach(list::add);
            body.put("algorithm", algorithm.wire());
            if (namespace != null) {
                body.put("namespace", namespace);
            }
            if (labels != null) {
                body.set("labels", JSON.valueToTree(Labels.parseMap(labels)));
            }
            return client.call("PUT", "/v1/services/" + name, JSON.writeValueAsBytes(body));
        }

        @Override
        void printText(JsonNode service, PrintWriter out) {
            JsonNode backendList = service.path("backends");
            long active = 0;
            for (JsonNode backend : backendList) {
                active += backend.path("active").asBoolean() ? 1 : 0;
            }
            out.println("service " + name + " " + service.path("result").asText() + ": " + frontend(service) + ", "
                    + backendList.size() + " backends (" + active + " active), " + service.path("algorithm").asText());
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List services, where each comes from and which backends are in use.")
    static final class ListAll extends ApiCommand {
        @Override
        ApiClient.Reply call(ApiClient client) throws Exception {
            return client.get("/v1/services");
        }

        @Override
        void printText(JsonNode services, PrintWriter out) {
            ArrayNode rows = JSON.createArrayNode();
            List<String> inactive = new ArrayList<>();
            for (JsonNode service : services) {
                List<String> backends = new ArrayList<>();
                for (JsonNode backend : service.path("backends")) {
                    String address = backend.path("address").asText();
                    if (backend.path("active").asBoolean()) {
                        backends.add(address);
                    } else {
                        backends.add(address + " (inactive)");
                        inactive.add(service.path("name").asText() + ": " + address + " is inactive: "
                                + backend.path("reason").asText());
                    }
                }
                ObjectNode row = rows.addObject();
                row.put("name", service.path("name").asText());
                row.put("frontend", frontend(service));
                row.put("algorithm", service.path("algorithm").asText());
                row.put("source", service.path("source").asText());
                row.put("backends", backends.isEmpty() ? "none" : String.join(", ", backends));
            }
            Table.print(out, rows, "no services");
            inactive.forEach(out::println);
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a service created through the API.")
    static final class Delete extends NamedDeleteCommand {
        @Override
        String collection() {
            return "services";
        }

        @Override
        void printText(JsonNode body, PrintWriter out) {
            out.println("service " + name + " deleted");
        }
    }

    /** {@code 10.96.0.10:80/tcp}, as the kernel's listing writes frontends. */
    private static String frontend(JsonNode service) {
        JsonNode frontend = service.path("frontend");
        return frontend.path("vip").asText() + ":" + frontend.path("port").asInt() + "/"
                + frontend.path("protocol").asText().toLowerCase(Locale.ROOT);
    }
}
