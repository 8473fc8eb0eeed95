package io.portcullis.agent.endpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** One JSON file per endpoint in the agent's state directory, written atomically. */
public final class EndpointStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path directory;

    EndpointStore(Path stateDir) throws IOException {
        this.directory = Files.createDirectories(stateDir.resolve("endpoints"));
    }

    /** Whether {@code stateDir} records any endpoint, without creating anything. */
    public static boolean hasEndpoints(Path stateDir) throws IOException {
        Path directory = stateDir.resolve("endpoints");
        if (!Files.isDirectory(directory)) {
            return false;
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".json"));
        }
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
