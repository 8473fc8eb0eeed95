package io.portcullis.bpf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A private pin directory on bpffs, removed with everything pinned in it. Made directly by the
 * test harnesses, or registered on a test class ({@code @RegisterExtension}, {@link #perTest}):
 * then each test first needs root and BPF, gets a fresh directory before its own set-up runs, and
 * the directory goes after its own tear-down.
 */
final class TestPins implements AutoCloseable, BeforeEachCallback, AfterEachCallback {
    private final String why;
    private Path dir;

    TestPins() {
        this.why = null;
        this.dir = create();
    }

    private TestPins(String why) {
        this.why = why;
    }

    /** @param why what the tests do with BPF, for the message when they cannot */
    static TestPins perTest(String why) {
        return new TestPins(why);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Privileged.requireBpf(why);
        dir = create();
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        close();
    }

    Path dir() {
        return dir;
    }

    private static Path create() {
        Path dir = BpfFs.ensureMounted().resolve("portcullis-test-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
