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
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*\\.ya?ml");

    private final Path directory;

    PolicyFiles(Path directory) {
        this.directory = directory;
    }

    /** Validates {@code yaml} and writes it as {@code fileName}; returns the names of its policies. */
    List<String> importFile(String fileName, String yaml) throws IOException {
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
            names.add(policy.name());
        }
        return names;
    }

    /** Removes the file that holds only {@code name}; a file shared with other policies is left to its owner. */
    void delete(String name, List<Policy> inForce) throws IOException {
        Policy policy = null;
        for (Policy candidate : inForce) {
            if (candidate.name().equals(name)) {
                policy = candidate;
            }
        }
        if (policy == null) {
            throw new ApiException(404, "no policy named '" + name + "' is in force");
        }
        Path file = Path.of(policy.location().source());
        int inFile = 0;
        for (Policy other : inForce) {
            if (other.location().source().equals(policy.location().source())) {
                inFile++;
            }
        }
        if (inFile > 1) {
            throw new ApiException(409, "policy '" + name + "' shares " + file + " with " + (inFile - 1)
                    + " other policies; edit that file instead");
        }
        Files.deleteIfExists(file);
    }
}
