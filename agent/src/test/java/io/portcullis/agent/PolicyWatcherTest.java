package io.portcullis.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy directory's changes become reloads: one per burst, none after close, and a failing reload does not stop it. */
class PolicyWatcherTest {
    @TempDir
    Path dir;

    @Test
    void aChangeCausesAReload() throws Exception {
        Semaphore reloads = new Semaphore(0);
        try (PolicyWatcher watcher = new PolicyWatcher(dir, reloads::release)) {
            Files.writeString(dir.resolve("a.yaml"), "x");
            assertThat(reloads.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
            Files.delete(dir.resolve("a.yaml"));
            assertThat(reloads.tryAcquire(10, TimeUnit.SECONDS)).as("a removal too").isTrue();
        }
    }

    @Test
    void aBurstOfEditsIsOneReload() throws Exception {
        AtomicInteger reloads = new AtomicInteger();
        Semaphore first = new Semaphore(0);
        try (PolicyWatcher watcher = new PolicyWatcher(dir, () -> {
            reloads.incrementAndGet();
            first.release();
        })) {
            // An editor's save: write a temporary file, rename it over the original.
            for (int i = 0; i < 5; i++) {
                Path temporary = Files.writeString(dir.resolve(".a.yaml.swp"), "version " + i);
                Files.move(temporary, dir.resolve("a.yaml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            assertThat(first.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(500);
            assertThat(reloads.get()).as("edits within the quiet period are gathered").isLessThan(5);
        }
    }

    @Test
    void aFailingReloadKeepsWatching() throws Exception {
        Semaphore reloads = new Semaphore(0);
        try (PolicyWatcher watcher = new PolicyWatcher(dir, () -> {
            reloads.release();
            throw new IllegalStateException("reload failed");
        })) {
            Files.writeString(dir.resolve("a.yaml"), "x");
            assertThat(reloads.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
            Files.writeString(dir.resolve("b.yaml"), "y");
            assertThat(reloads.tryAcquire(10, TimeUnit.SECONDS)).as("still watching").isTrue();
        }
    }

    @Test
    void afterCloseNothingIsReloaded() throws Exception {
        Semaphore reloads = new Semaphore(0);
        new PolicyWatcher(dir, reloads::release).close();
        Files.writeString(dir.resolve("a.yaml"), "x");
        assertThat(reloads.tryAcquire(500, TimeUnit.MILLISECONDS)).isFalse();
    }
}
