package io.portcullis.agent;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;

/**
 * Calls {@code onChange} when anything in the policy directory changes. Events are gathered for a
 * short quiet period first, so an editor's write-rename-delete sequence causes one reload.
 */
final class PolicyWatcher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PolicyWatcher.class.getName());
    private static final long QUIET_MILLIS = 50;

    private final WatchService watchService;
    private final Thread thread;

    PolicyWatcher(Path directory, Runnable onChange) throws IOException {
        watchService = FileSystems.getDefault().newWatchService();
        directory.register(watchService, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        thread = new Thread(() -> run(onChange), "portcullis-policy-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void run(Runnable onChange) {
        try {
            while (true) {
                WatchKey key = watchService.take();
                do {
                    key.pollEvents();
                    key.reset();
                    key = watchService.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS);
                } while (key != null);
                try {
                    onChange.run();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "policy reload failed; the policies in force stay", e);
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        watchService.close();
        thread.interrupt();
    }
}
