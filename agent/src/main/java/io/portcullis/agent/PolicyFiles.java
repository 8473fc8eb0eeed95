package io.portcullis.agent;

import io.portcullis.agent.api.ApiException;
import io.portcullis.config.yaml.ConfigException;
import io.portcullis.policy.load.LoadResult;
import io.portcullis.policy.load.PolicyLoader;
import io.portcullis.policy.model.Policy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Policy import and delete through the API. The policy directory stays the single source of
 * truth: an import is validated first and then written atomically into it, a delete removes the
 * file that holds the policy. The watcher and the API then reload the same way.
 */
final class PolicyFiles {
    /** The namespace query value that names the cluster-wide scope. */
    static final String CLUSTERWIDE = "-";
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*\\.ya?ml");

    private final Path directory;

    PolicyFiles(Path directory) {
        this.directory = directory;
    }

    /** What an import stored: its policies' references, and the warnings of its file. */
    record Imported(List<String> policies, List<String> warnings) {
    }

    /** Validates {@code yaml} and writes it as {@code fileName}. */
    Imported importFile(String fileName, String yaml) throws IOException {
        if (!FILE_NAME.matcher(fileName).matches()) {
            throw new ApiException(400, "file name '" + fileName + "' must be a plain name ending in .yaml or .yml");
        }
        LoadResult result = PolicyLoader.parse(fileName, yaml);
        if (result.hasErrors()) {
            List<String> messages = new ArrayList<>();
            for (ConfigException error : result.errors()) {
                messages.add(error.getMessage());
            }
            throw new ApiException(400, String.join("\n", messages));
        }
        if (result.policies().isEmpty()) {
            throw new ApiException(400, fileName + " holds no policy");
        }
        Path temporary = Files.createTempFile(directory, ".import-", ".tmp");
        try {
            Files.writeString(temporary, yaml);
            Files.move(temporary, directory.resolve(fileName), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
        List<String> names = new ArrayList<>();
        for (Policy policy : result.policies()) {
            names.add(policy.reference());
        }
        List<String> warnings = new ArrayList<>();
        for (ConfigException warning : result.warnings()) {
            warnings.add(warning.getMessage());
        }
        return new Imported(names, warnings);
    }

    /**
     * Removes the file that holds only the policy named {@code name}; a file shared with other
     * policies is left to its owner. Returns the policy's reference ({@code namespace/name}).
     *
     * @param namespace the namespace of a CiliumNetworkPolicy, {@link #CLUSTERWIDE} for a
     *                  clusterwide one, or null when the name alone is unambiguous
     */
    String delete(String name, String namespace, List<Policy> inForce) throws IOException {
        List<Policy> named = new ArrayList<>();
        for (Policy candidate : inForce) {
            boolean scope = namespace == null || (namespace.equals(CLUSTERWIDE) ? candidate.namespace() == null
                    : namespace.equals(candidate.namespace()));
            if (candidate.name().equals(name) && scope) {
                named.add(candidate);
            }
        }
        if (named.isEmpty()) {
            throw new ApiException(404, "no policy named '" + name + "'" + (namespace == null ? "" : " in "
                    + (namespace.equals(CLUSTERWIDE) ? "the cluster-wide scope" : "namespace " + namespace))
                    + " is in force");
        }
        if (named.size() > 1) {
            List<String> references = new ArrayList<>();
            named.forEach(p -> references.add(p.reference()));
            throw new ApiException(409, "several policies are named '" + name + "' (" + String.join(", ", references)
                    + "); say which with --namespace or --clusterwide");
        }
        Policy policy = named.get(0);
        Path file = Path.of(policy.location().source());
        int inFile = 0;
        for (Policy other : inForce) {
            if (other.location().source().equals(policy.location().source())) {
                inFile++;
            }
        }
        if (inFile > 1) {
            throw new ApiException(409, "policy '" + policy.reference() + "' shares " + file + " with " + (inFile - 1)
                    + " other policies; edit that file instead");
        }
        Files.deleteIfExists(file);
        return policy.reference();
    }
}
