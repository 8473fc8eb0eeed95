package io.portcullis.bpf;

import io.portcullis.bpf.maps.MapNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes the pins of maps whose layout a newer version replaced ({@link MapNames#RETIRED}).
 * Programs that still use such a map keep it (they hold a reference); only the name goes, and the
 * kernel frees the map when its last program is replaced.
 */
public final class RetiredPins {
    private RetiredPins() {
    }

    /** Unpins every retired map under pinRoot; returns the names it removed. */
    public static List<String> remove(Path pinRoot) {
        List<String> removed = new ArrayList<>();
        for (String name : MapNames.RETIRED) {
            try {
                if (Files.deleteIfExists(pinRoot.resolve(name))) {
                    removed.add(name);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot unpin the retired map " + pinRoot.resolve(name), e);
            }
        }
        return removed;
    }
}
