package io.portcullis.bpf;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A BPF object under test, registered on a test class ({@code @RegisterExtension}): each test
 * first needs root and BPF, gets a fresh load under its own pins before its own set-up runs, and
 * the load and the pins go after its own tear-down.
 */
abstract class PinnedHarness implements BeforeEachCallback, AfterEachCallback {
    private final TestPins pins;

    /** @param why what the tests do with BPF, for the message when they cannot */
    PinnedHarness(String why) {
        this.pins = TestPins.perTest(why);
    }

    /** Loads what the tests run, with its maps pinned under {@code pinRoot}. */
    abstract void load(Path pinRoot) throws Exception;

    /** Closes what {@link #load} opened (part of it, when loading failed). */
    abstract void unload() throws Exception;

    @Override
    public final void beforeEach(ExtensionContext context) throws Exception {
        pins.beforeEach(context);
        load(pins.dir());
    }

    /** Runs after every test, also one whose {@link #beforeEach} failed or was aborted. */
    @Override
    public final void afterEach(ExtensionContext context) throws Exception {
        try {
            unload();
        } finally {
            pins.afterEach(context);
        }
    }
}
