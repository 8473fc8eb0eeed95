package io.portcullis.agent;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.Labels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Allocated identities in the state directory, so that a restarted agent gives every label set
 * the number the datapath, the access log and the operator already know it by. Labels are kept
 * with their source ({@code k8s:app}); a label set written before endpoints had namespaces (keys
 * without a source, no namespace label) is read as the same labels in namespace {@code default},
 * which is how endpoints recorded then are read too, so they keep their numbers.
 */
final class IdentityStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<Map<String, Object>>> ROWS = new TypeReference<>() {
    };

    private final Path file;

    IdentityStore(Path stateDir) {
        this.file = stateDir.resolve("identities.json");
    }

    List<Identity> load() throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<Identity> identities = new ArrayList<>();
        try {
            for (Map<String, Object> row : JSON.readValue(file.toFile(), ROWS)) {
                @SuppressWarnings("unchecked")
                Map<String, String> labels = (Map<String, String>) row.get("labels");
                identities.add(new Identity(((Number) row.get("identity")).intValue(),
                        new Labels(labels).inDefaultNamespaceIfUnset()));
            }
        } catch (IOException | RuntimeException e) {
            throw new IOException("identity state " + file + " is unreadable (" + e.getMessage()
                    + "); restore it, or delete it to renumber identities", e);
        }
        return identities;
    }

    void save(List<Identity> identities) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Identity identity : identities) {
            if (!identity.isReserved()) {
                rows.add(Map.of("identity", identity.id(), "labels", identity.labels().values()));
            }
        }
        Files.createDirectories(file.getParent());
        Path temporary = Files.createTempFile(file.getParent(), ".identities-", ".tmp");
        try {
            JSON.writeValue(temporary.toFile(), rows);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
