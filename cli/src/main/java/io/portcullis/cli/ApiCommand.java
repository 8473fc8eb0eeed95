package io.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that makes one call to the running agent: a refused call prints the agent's error and
 * exits 1; an answer is printed as JSON with {@code -o json}, else by {@link #printText}.
 */
abstract class ApiCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ApiOptions api;

    /** The call to make. */
    abstract ApiClient.Reply call(ApiClient client) throws Exception;

    abstract void printText(JsonNode body, PrintWriter out);

    @Override
    public Integer call() throws Exception {
        ApiClient.Reply reply = call(api.client());
        if (!reply.ok()) {
            spec.commandLine().getErr().println("portcullis: " + reply.error());
            return ExitCodes.FAILURE;
        }
        PrintWriter out = spec.commandLine().getOut();
        if (api.json()) {
            out.println(ApiOptions.pretty(reply.body()));
        } else {
            printText(reply.body(), out);
        }
        return ExitCodes.OK;
    }
}
