package io.portcullis.agent.sidecar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The services created through the API, in the state directory ({@code services.json}: name to
 * definition, as {@link ServiceJson} writes it), restored at start. Written to a temporary file
 * and renamed, so a crash leaves the old list or the new one, never half of one.
 */
final class ServiceStore {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path file;

    ServiceStore(Path stateDir) {
        this.file = stateDir.resolve("services.json");
    }

    Path file() {
        return file;
    }

    List<Service> load() throws IOException {
        List<Service> services = new ArrayList<>();
        if (!Files.exists(file)) {
            return services;
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw unreadable(e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw unreadable("expected a JSON object of service name to definition", null);
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = root.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            try {
                services.add(new Service(field.getKey(), ServiceJson.read(field.getValue()), null,
                        ServiceJson.readScope(field.getValue())));
            } catch (IllegalArgumentException e) {
                throw unreadable("service '" + field.getKey() + "': " + e.getMessage(), e);
            }
        }
        return services;
    }

    void save(Collection<Service> services) throws IOException {
        Files.createDirectories(file.getParent());
        ObjectNode root = JSON.createObjectNode();
        for (Service service : services) {
            root.set(service.name(), ServiceJson.write(service.spec(), service.scope()));
        }
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writeValue(temp.toFile(), root);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private IOException unreadable(String problem, Exception cause) {
        return new IOException("service state " + file + " is unreadable (" + problem
                + "); fix or delete it (services created through the API are then lost) and start the agent again",
                cause);
    }
}
