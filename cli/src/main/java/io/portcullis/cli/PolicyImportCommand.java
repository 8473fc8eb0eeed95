package io.portcullis.cli;

import io.portcullis.policy.load.PolicyLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Sends policy files to the agent, which validates them, stores them in its policy directory and applies them. */
@Command(name = "import", mixinStandardHelpOptions = true, description = "Import policy files into the running agent.")
final class PolicyImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ApiOptions api;

    @Parameters(arity = "1..*", paramLabel = "FILE|DIR")
    List<Path> paths;

    @Override
    public Integer call() throws Exception {
        List<Path> files = new ArrayList<>();
        for (Path path : paths) {
            files.addAll(Files.isDirectory(path) ? PolicyLoader.policyFiles(path) : List.of(path));
        }
        int failures = 0;
        for (Path file : files) {
            ApiClient.Reply reply = api.client().call("PUT", "/v1/policies/" + file.getFileName(),
                    Files.readAllBytes(file));
            if (reply.ok()) {
                spec.commandLine().getOut().println(file + ": imported " + Text.strings(reply.body().path("imported"))
                        + ", policy revision " + reply.body().path("revision").asLong());
                reply.body().path("warnings").forEach(w -> spec.commandLine().getErr().println("warning: " + w.asText()));
            } else {
                spec.commandLine().getErr().println(file + ": " + reply.error());
                failures++;
            }
        }
        return failures == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
    }
}
