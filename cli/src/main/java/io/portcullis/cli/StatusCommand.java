package io.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Exit 0 once the agent is ready, with what it has loaded; 1 when it is not reachable or not ready. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show whether the agent is ready and what it runs.")
final class StatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ApiOptions api;

    @Override
    public Integer call() throws Exception {
        ApiClient.Reply reply = api.client().get("/v1/status");
        PrintWriter out = spec.commandLine().getOut();
        JsonNode status = reply.body();
        if (api.json()) {
            out.println(ApiOptions.pretty(status));
        } else if (reply.ok()) {
            out.println("agent:      " + (status.path("ready").asBoolean() ? "ready" : "starting"));
            out.println("datapath:   " + status.path("datapath").asText());
            out.println("policy:     revision " + status.path("policyRevision").asLong() + ", "
                    + status.path("policies").asInt() + " policies");
            for (JsonNode error : status.path("policyErrors")) {
                out.println("  rejected: " + error.asText());
            }
            if (status.path("policyAuditMode").asBoolean()) {
                out.println("  audit mode: node-wide (policyAuditMode): denials are forwarded and logged as audit");
            }
            out.println("listeners:  " + String.join(", ", Text.strings(status.path("listeners"))));
            JsonNode proxy = status.path("proxy");
            out.println("proxy:      " + (proxy.path("supervised").asBoolean(true)
                    ? (proxy.path("running").asBoolean() ? "pid " + proxy.path("pid").asText() + " since "
                    + proxy.path("since").asText() : "not running") + ", " + proxy.path("restarts").asInt() + " restarts"
                    + (proxy.path("lastExit").isNull() ? "" : " (last: " + proxy.path("lastExit").asText() + ")")
                    : "not supervised by the agent"));
            out.println("identities: " + status.path("identities").asInt());
            out.println("services:   " + status.path("services").asInt());
        } else {
            spec.commandLine().getErr().println("portcullis: " + reply.error());
        }
        return reply.ok() && status.path("ready").asBoolean() ? ExitCodes.OK : ExitCodes.FAILURE;
    }
}
