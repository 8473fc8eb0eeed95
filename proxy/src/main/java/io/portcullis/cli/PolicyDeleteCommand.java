package io.portcullis.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Removes a policy from the running agent (the file that holds it). */
@Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a policy by name.")
final class PolicyDeleteCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ApiOptions api;

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() throws Exception {
        ApiClient.Reply reply = api.client().call("DELETE", "/v1/policies/" + name, new byte[0]);
        if (!reply.ok()) {
            spec.commandLine().getErr().println("portcullis: " + reply.error());
            return ExitCodes.FAILURE;
        }
        spec.commandLine().getOut().println("deleted " + name + ", policy revision " + reply.body().path("revision").asLong());
        return ExitCodes.OK;
    }
}
