package io.portcullis.bpf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The BPF filesystem, where programs and maps are pinned to outlive the agent. */
public final class BpfFs {
    /** Where bpffs is conventionally mounted (and where libbpf pins by default). */
    public static final Path DEFAULT_MOUNT = Path.of("/sys/fs/bpf");
    /** Portcullis pins its maps and programs under here. */
    public static final Path PIN_ROOT = DEFAULT_MOUNT.resolve("portcullis");

    private BpfFs() {
    }

    public static boolean isMounted(Path dir) {
        Path wanted = dir.toAbsolutePath().normalize();
        return MountInfo.read().stream().anyMatch(m -> m.fsType().equals("bpf") && m.mountPoint().equals(wanted));
    }

    /** Mounts bpffs at {@link #DEFAULT_MOUNT} unless it is mounted there already; returns it. */
    public static Path ensureMounted() {
        return ensureMounted(DEFAULT_MOUNT);
    }

    /** Mounts bpffs at dir (creating dir) unless one is mounted there already; returns dir. */
    public static Path ensureMounted(Path dir) {
        if (isMounted(dir)) {
            return dir;
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the bpffs mount point " + dir, e);
        }
        Native.checkLibc("mount", "mounting bpffs at " + dir + " (needs root / CAP_SYS_ADMIN)",
                () -> Native.libc().mount("bpf", dir.toString(), "bpf", 0, null));
        return dir;
    }
}
