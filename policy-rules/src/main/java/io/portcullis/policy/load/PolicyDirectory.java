package io.portcullis.policy.load;

import io.portcullis.config.yaml.ConfigException;
import io.portcullis.policy.model.Policy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The policies of a directory with last-good-per-file semantics: a file that fails to load keeps
 * its previous good version in force (and its errors are reported) until it is fixed or removed.
 * The revision increases whenever the policies in force change. Thread-safe.
 */
public final class PolicyDirectory {
    /**
     * The policies in force after a reload.
     *
     * @param revision 0 until something has loaded; +1 on every change of the policies in force
     * @param policies every file's accepted policies, files in name order
     * @param errors   the errors of files whose latest version was rejected
     * @param sources  the accepted content of each file whose policies are in force, by file name:
     *                 parsed again with {@link PolicyLoader#parse}, it gives {@code policies}
     */
    public record State(long revision, List<Policy> policies, List<ConfigException> errors,
                        Map<String, String> sources) {
        public State {
            policies = List.copyOf(policies);
            errors = List.copyOf(errors);
            sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
        }
    }

    private record AcceptedFile(String content, List<Policy> policies) {
    }

    private final Map<Path, AcceptedFile> accepted = new TreeMap<>();
    private State state = new State(0, List.of(), List.of(), Map.of());

    /**
     * Reads {@code directory} again. A file whose content is unchanged is not re-parsed; a changed
     * file replaces its last good version only if it loads without error and none of its policies
     * (by reference) is already defined by another file; a removed file's policies go away.
     */
    public synchronized State reload(Path directory) {
        List<Path> files;
        try {
            files = PolicyLoader.policyFiles(directory);
        } catch (IOException e) {
            // Fail safe: an unreadable directory must not drop the policies in force.
            state = new State(state.revision(), state.policies(), List.of(PolicyLoader.unreadable(directory, e)),
                    state.sources());
            return state;
        }
        boolean changed = accepted.keySet().retainAll(files);
        List<ConfigException> errors = new ArrayList<>();
        for (Path file : files) {
            String content;
            try {
                content = Files.readString(file);
            } catch (IOException e) {
                errors.add(PolicyLoader.unreadable(file, e));
                continue;
            }
            AcceptedFile previous = accepted.get(file);
            if (previous != null && previous.content().equals(content)) {
                continue;
            }
            LoadResult result = PolicyLoader.parse(file.toString(), content);
            List<ConfigException> fileErrors = new ArrayList<>(result.errors());
            fileErrors.addAll(PolicyLoader.rejectDuplicates(result.policies(), namesOutside(file), new ArrayList<>()));
            if (fileErrors.isEmpty()) {
                accepted.put(file, new AcceptedFile(content, result.policies()));
                changed = true;
            } else {
                errors.addAll(fileErrors);
            }
        }
        List<Policy> policies = new ArrayList<>();
        Map<String, String> sources = new LinkedHashMap<>();
        accepted.forEach((path, file) -> {
            policies.addAll(file.policies());
            sources.put(path.toString(), file.content());
        });
        state = new State(changed ? state.revision() + 1 : state.revision(), policies, errors, sources);
        return state;
    }

    /** The state of the last reload. */
    public synchronized State state() {
        return state;
    }

    private Map<String, Policy> namesOutside(Path file) {
        Map<String, Policy> names = new HashMap<>();
        accepted.forEach((path, other) -> {
            if (!path.equals(file)) {
                for (Policy policy : other.policies()) {
                    names.put(policy.reference(), policy);
                }
            }
        });
        return names;
    }
}
