package io.portcullis.policy.load;

import io.portcullis.config.yaml.ConfigException;
import io.portcullis.config.yaml.Location;
import io.portcullis.config.yaml.YamlNode;
import io.portcullis.config.yaml.YamlReader;
import io.portcullis.policy.model.Policy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Loads CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy YAML from text, a file, or a
 * directory of {@code *.yaml}/{@code *.yml} files (not recursive, sorted by name, hidden files
 * skipped). Never throws for bad input: every problem is an error in the {@link LoadResult}.
 */
public final class PolicyLoader {
    private PolicyLoader() {
    }

    /** Loads a file or every policy file of a directory; policies must be unique across all of them. */
    public static LoadResult load(Path fileOrDirectory) {
        List<Path> files;
        try {
            files = Files.isDirectory(fileOrDirectory) ? policyFiles(fileOrDirectory) : List.of(fileOrDirectory);
        } catch (IOException e) {
            return new LoadResult(List.of(), List.of(unreadable(fileOrDirectory, e)), List.of());
        }
        List<Policy> policies = new ArrayList<>();
        List<ConfigException> errors = new ArrayList<>();
        List<ConfigException> warnings = new ArrayList<>();
        for (Path file : files) {
            LoadResult result;
            try {
                result = parse(file.toString(), Files.readString(file));
            } catch (IOException e) {
                errors.add(unreadable(file, e));
                continue;
            }
            errors.addAll(result.errors());
            warnings.addAll(result.warnings());
            policies.addAll(result.policies());
        }
        List<Policy> unique = new ArrayList<>();
        errors.addAll(rejectDuplicates(policies, Map.of(), unique));
        return new LoadResult(unique, errors, warnings);
    }

    /** Parses one file's text; {@code source} names it in errors. Policies must be unique within it. */
    public static LoadResult parse(String source, String content) {
        List<YamlNode> documents;
        try {
            documents = YamlReader.readAll(source, content);
        } catch (ConfigException e) {
            return new LoadResult(List.of(), List.of(e), List.of());
        }
        Findings findings = new Findings();
        PolicyParser parser = new PolicyParser(findings);
        List<Policy> policies = new ArrayList<>();
        for (YamlNode document : documents) {
            Policy policy = parser.parse(document);
            if (policy != null) {
                policies.add(policy);
            }
        }
        List<ConfigException> errors = inReadingOrder(findings.errors());
        List<Policy> unique = new ArrayList<>();
        errors.addAll(rejectDuplicates(policies, Map.of(), unique));
        return new LoadResult(unique, errors, inReadingOrder(findings.warnings()));
    }

    /** The parsers check field by field; report in the order an operator reads the file. */
    private static List<ConfigException> inReadingOrder(List<ConfigException> findings) {
        List<ConfigException> sorted = new ArrayList<>(findings);
        sorted.sort(Comparator.comparingInt((ConfigException e) -> e.location().line())
                .thenComparingInt(e -> e.location().column()));
        return sorted;
    }

    /** The policy files of {@code directory}, sorted by name. */
    public static List<Path> policyFiles(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            List<Path> files = new ArrayList<>();
            entries.forEach(path -> {
                String name = path.getFileName().toString();
                if (!name.startsWith(".") && (name.endsWith(".yaml") || name.endsWith(".yml"))
                        && Files.isRegularFile(path)) {
                    files.add(path);
                }
            });
            files.sort(null);
            return files;
        }
    }

    /**
     * Adds to {@code unique} each policy whose {@link Policy#reference() reference} (name, and
     * namespace for a CiliumNetworkPolicy) is neither in {@code taken} nor earlier in
     * {@code candidates}; returns an error for each one left out. The first definition wins.
     */
    static List<ConfigException> rejectDuplicates(List<Policy> candidates, Map<String, Policy> taken,
                                                  List<Policy> unique) {
        Map<String, Policy> seen = new HashMap<>(taken);
        List<ConfigException> errors = new ArrayList<>();
        for (Policy policy : candidates) {
            Policy first = seen.putIfAbsent(policy.reference(), policy);
            if (first == null) {
                unique.add(policy);
            } else {
                errors.add(new ConfigException(policy.location(), "metadata.name", "duplicate " + policy.kind().wire()
                        + " '" + policy.reference() + "', first defined at " + first.location()));
            }
        }
        return errors;
    }

    static ConfigException unreadable(Path path, IOException e) {
        String why = e instanceof java.nio.file.NoSuchFileException ? "no such file or directory" : e.toString();
        return new ConfigException(new Location(path.toString(), 0, 0), "", "cannot read: " + why);
    }
}
