package io.portcullis.bpf;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Paths of the objects compiled from src/test/c by the build. */
final class TestObjects {
    private TestObjects() {
    }

    static Path path(String fileName) {
        URL url = TestObjects.class.getResource("/io/portcullis/bpf/testobj/" + fileName);
        if (url == null) {
            throw new IllegalStateException("test BPF object " + fileName + " missing: build with mvn, not the IDE alone");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path datapath(DatapathObject object) {
        URL url = TestObjects.class.getResource("/io/portcullis/bpf/obj/" + object.fileName());
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
