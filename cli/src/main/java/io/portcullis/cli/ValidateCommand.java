package io.portcullis.cli;

import io.portcullis.config.yaml.ConfigException;
import io.portcullis.policy.load.LoadResult;
import io.portcullis.policy.load.PolicyLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Exit 0 when every policy loads (warnings, such as an IPv6 prefix that allows nothing here, are
 * printed but do not fail); otherwise 1 with each error's file, line and field.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check policy files or directories; print every error and warning with its file, line and field.")
final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE|DIR")
    List<Path> paths;

    @Override
    public Integer call() {
        int policies = 0;
        int errors = 0;
        for (Path path : paths) {
            LoadResult result = PolicyLoader.load(path);
            policies += result.policies().size();
            for (ConfigException warning : result.warnings()) {
                spec.commandLine().getErr().println("warning: " + warning.getMessage());
            }
            for (ConfigException error : result.errors()) {
                spec.commandLine().getErr().println(error.getMessage());
                errors++;
            }
        }
        if (errors > 0) {
            spec.commandLine().getErr().println(errors + (errors == 1 ? " error" : " errors"));
            return ExitCodes.FAILURE;
        }
        spec.commandLine().getOut().println(policies + (policies == 1 ? " policy" : " policies") + " valid");
        return ExitCodes.OK;
    }
}
