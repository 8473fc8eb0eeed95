package io.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.policy.identity.Labels;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Endpoints the agent plumbs: create, list, get, delete, and run a command inside one. */
@Command(name = "endpoint", mixinStandardHelpOptions = true, description = "Workloads on this node.",
        subcommands = {EndpointCommand.Create.class, EndpointCommand.ListAll.class, EndpointCommand.Get.class,
                EndpointCommand.Delete.class, EndpointCommand.Exec.class})
final class EndpointCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EndpointCommand() {
    }

    private static int fail(CommandSpec spec, ApiClient.Reply reply) {
        spec.commandLine().getErr().println("portcullis: " + reply.error());
        return ExitCodes.FAILURE;
    }

    private static void printRow(PrintWriter out, JsonNode e) {
        List<String> labels = new ArrayList<>();
        e.path("labels").fields().forEachRemaining(l -> labels.add(l.getKey() + "=" + l.getValue().asText()));
        out.printf("%-20s %-15s %-9s %s%n", e.path("name").asText(), e.path("ip").asText(),
                e.path("identity").asText(), String.join(",", labels));
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create an endpoint: a netns, a veth into the host, an address from the pool, a cgroup.")
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ApiOptions api;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--labels", paramLabel = "k=v,...", defaultValue = "", description = "the endpoint's labels")
        String labels;

        @Override
        public Integer call() throws Exception {
            Map<String, String> parsed = Labels.parse(labels).values();
            byte[] body = JSON.writeValueAsString(Map.of("labels", parsed)).getBytes(StandardCharsets.UTF_8);
            ApiClient.Reply reply = api.client().call("PUT", "/v1/endpoints/" + name, body);
            if (!reply.ok()) {
                return fail(spec, reply);
            }
            if (api.json()) {
                spec.commandLine().getOut().println(ApiOptions.pretty(reply.body()));
            } else {
                spec.commandLine().getOut().println("endpoint " + name + " created: " + reply.body().path("ip").asText()
                        + ", identity " + reply.body().path("identity").asInt());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List endpoints.")
    static final class ListAll implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ApiOptions api;

        @Override
        public Integer call() throws Exception {
            ApiClient.Reply reply = api.client().get("/v1/endpoints");
            if (!reply.ok()) {
                return fail(spec, reply);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (api.json()) {
                out.println(ApiOptions.pretty(reply.body()));
                return ExitCodes.OK;
            }
            out.printf("%-20s %-15s %-9s %s%n", "NAME", "IP", "IDENTITY", "LABELS");
            reply.body().forEach(e -> printRow(out, e));
            return ExitCodes.OK;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show one endpoint.")
    static final class Get implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ApiOptions api;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws Exception {
            ApiClient.Reply reply = api.client().get("/v1/endpoints/" + name);
            if (!reply.ok()) {
                return fail(spec, reply);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (api.json()) {
                out.println(ApiOptions.pretty(reply.body()));
            } else {
                reply.body().fields().forEachRemaining(f -> out.printf("%-14s %s%n", f.getKey() + ":",
                        f.getValue().isValueNode() ? f.getValue().asText() : f.getValue().toString()));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete an endpoint and its plumbing.")
    static final class Delete implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ApiOptions api;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws Exception {
            ApiClient.Reply reply = api.client().call("DELETE", "/v1/endpoints/" + name, new byte[0]);
            if (!reply.ok()) {
                return fail(spec, reply);
            }
            spec.commandLine().getOut().println("endpoint " + name + " deleted");
            return ExitCodes.OK;
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
                return fail(spec, reply);
            }
            // Join the cgroup first: 'ip netns exec' remounts /sys, hiding the cgroup tree.
            List<String> argv = new ArrayList<>(List.of("sh", "-c", "echo $$ > \"$0/cgroup.procs\" && exec \"$@\"",
                    reply.body().path("cgroup").asText(), "ip", "netns", "exec", reply.body().path("netns").asText()));
            // "--" after NAME is the documented separator; option parsing has already stopped at NAME.
            argv.addAll(command.get(0).equals("--") ? command.subList(1, command.size()) : command);
            return new ProcessBuilder(argv).inheritIO().start().waitFor();
        }
    }
}
