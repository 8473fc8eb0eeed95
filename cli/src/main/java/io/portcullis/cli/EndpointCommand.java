package io.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.policy.identity.Labels;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Endpoints the agent plumbs: create, list, get, configure, delete, and run a command inside one. */
@Command(name = "endpoint", mixinStandardHelpOptions = true, description = "Workloads on this node.",
        subcommands = {EndpointCommand.Create.class, EndpointCommand.ListAll.class, EndpointCommand.Get.class,
                EndpointConfigCommand.class, EndpointCommand.Delete.class, EndpointCommand.Exec.class})
final class EndpointCommand {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROW = "%-20s %-16s %-15s %-9s %s%n";

    private EndpointCommand() {
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create an endpoint: a netns, a veth into the host, an address from the pool, a cgroup.")
    static final class Create extends ApiCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--labels", paramLabel = "k=v,...", defaultValue = "", description = "the endpoint's labels")
        String labels;

        @Option(names = "--namespace", paramLabel = "NAMESPACE", defaultValue = Labels.DEFAULT_NAMESPACE,
                description = "its namespace, which namespaced policies select by (default: ${DEFAULT-VALUE})")
        String namespace;

        @Option(names = "--port", paramLabel = "NAME=PORT[/PROTO]",
                description = "a port it declares by name, for policies' named ports; repeatable")
        List<String> ports = new ArrayList<>();

        @Override
        ApiClient.Reply call(ApiClient client) throws Exception {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("namespace", namespace);
            body.put("labels", Labels.parseMap(labels));
            body.put("ports", ports);
            return client.call("PUT", "/v1/endpoints/" + name, JSON.writeValueAsBytes(body));
        }

        @Override
        void printText(JsonNode endpoint, PrintWriter out) {
            out.println("endpoint " + name + " created in namespace " + endpoint.path("namespace").asText() + ": "
                    + endpoint.path("ip").asText() + ", identity " + endpoint.path("identity").asInt());
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List endpoints.")
    static final class ListAll extends ApiCommand {
        @Override
        ApiClient.Reply call(ApiClient client) throws Exception {
            return client.get("/v1/endpoints");
        }

        @Override
        void printText(JsonNode endpoints, PrintWriter out) {
            out.printf(ROW, "NAME", "NAMESPACE", "IP", "IDENTITY", "LABELS");
            for (JsonNode e : endpoints) {
                out.printf(ROW, e.path("name").asText(), e.path("namespace").asText(), e.path("ip").asText(),
                        e.path("identity").asText(), Text.labels(e.path("labels")));
            }
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show one endpoint.")
    static final class Get extends ApiCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        ApiClient.Reply call(ApiClient client) throws Exception {
            return client.get("/v1/endpoints/" + name);
        }

        @Override
        void printText(JsonNode endpoint, PrintWriter out) {
            endpoint.fields().forEachRemaining(f -> out.printf("%-14s %s%n", f.getKey() + ":",
                    f.getValue().isValueNode() ? f.getValue().asText() : f.getValue().isArray()
                            ? String.join(",", JSON.convertValue(f.getValue(), String[].class))
                            : Text.labels(f.getValue())));
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete an endpoint and its plumbing.")
    static final class Delete extends NamedDeleteCommand {
        @Override
        String collection() {
            return "endpoints";
        }

        @Override
        void printText(JsonNode body, PrintWriter out) {
            out.println("endpoint " + name + " deleted");
        }
    }

    /** Runs a command in the endpoint's netns and cgroup, so the datapath sees it as that workload. */
    @Command(name = "exec", mixinStandardHelpOptions = true,
            description = "Run CMD inside the endpoint's network namespace and cgroup; exits with its code.")
    static final class Exec implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ApiOptions api;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "CMD")
        List<String> command;

        @Override
        public Integer call() throws Exception {
            ApiClient.Reply reply = api.client().get("/v1/endpoints/" + name);
            if (!reply.ok()) {
                spec.commandLine().getErr().println("portcullis: " + reply.error());
                return ExitCodes.FAILURE;
            }
            // "--" after NAME is the documented separator; option parsing has already stopped at NAME.
            List<String> argv = EndpointProcess.inside(reply.body(),
                    command.get(0).equals("--") ? command.subList(1, command.size()) : command);
            return new ProcessBuilder(argv).inheritIO().start().waitFor();
        }
    }
}
