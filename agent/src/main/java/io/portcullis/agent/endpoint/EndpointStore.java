package io.portcullis.agent.endpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The node's saved endpoints: one JSON file per endpoint in the agent's state directory, written
 * atomically. Opened once by the agent, which reads from it whether endpoints are recorded and
 * hands it to the {@link EndpointManager}; opening reads and creates nothing, so an agent that
 * never manages endpoints leaves the state directory as it is.
 */
public final class EndpointStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path directory;

    private EndpointStore(Path directory) {
        this.directory = directory;
    }

    /** The store in {@code stateDir}. */
    public static EndpointStore open(Path stateDir) {
        return new EndpointStore(stateDir.resolve("endpoints"));
    }

    /** Whether any endpoint is recorded, without creating anything. */
    public boolean hasEndpoints() throws IOException {
        if (!Files.isDirectory(directory)) {
            return false;
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".json"));
        }
    }

    /** Creates the directory: from now on the node records its endpoints here. */
    void prepare() throws IOException {
        Files.createDirectories(directory);
    }

    void save(Endpoint endpoint) throws IOException {
        Path temporary = Files.createTempFile(directory, ".endpoint-", ".tmp");
        try {
            JSON.writeValue(temporary.toFile(), endpoint);
            Files.move(temporary, file(endpoint.name()), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    void remove(String name) throws IOException {
        Files.deleteIfExists(file(name));
    }

    List<Endpoint> load() throws IOException {
        List<Endpoint> endpoints = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                if (file.getFileName().toString().endsWith(".json")) {
                    try {
                        endpoints.add(JSON.readValue(file.toFile(), Endpoint.class));
                    } catch (IOException e) {
                        throw new IOException("endpoint state " + file + " is unreadable (" + e.getMessage()
                                + "); delete it and the endpoint's netns by hand, or restore it", e);
                    }
                }
            }
        }
        return endpoints;
    }

    private Path file(String name) {
        return directory.resolve(name + ".json");
    }
}
