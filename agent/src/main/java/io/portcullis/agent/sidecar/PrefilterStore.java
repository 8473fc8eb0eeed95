package io.portcullis.agent.sidecar;

import io.portcullis.bpf.sidecar.Cidr;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The prefilter's block list in the state directory ({@code prefilter.txt}, one CIDR per line):
 * the truth the pinned maps are reconciled to at start. Written to a temporary file and renamed,
 * so a crash leaves the old list or the new one, never half of one.
 */
final class PrefilterStore {
    private final Path file;

    PrefilterStore(Path stateDir) {
        this.file = stateDir.resolve("prefilter.txt");
    }

    List<Cidr> load() throws IOException {
        List<Cidr> cidrs = new ArrayList<>();
        if (!Files.exists(file)) {
            return cidrs;
        }
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                cidrs.add(Cidr.parse(line));
            }
        }
        return cidrs;
    }

    void save(Collection<Cidr> cidrs) throws IOException {
        Files.createDirectories(file.getParent());
        StringBuilder text = new StringBuilder();
        for (Cidr cidr : cidrs) {
            text.append(cidr).append('\n');
        }
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temp, text);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
