package io.portcullis.bpf;

import java.nio.file.Path;

/**
 * The cgroup v2 hierarchy, where connect4 and sock_ops programs attach. Its mount point differs
 * between systems ({@code /sys/fs/cgroup} on unified hosts, {@code /sys/fs/cgroup/unified} on
 * hybrid ones), so it is always looked up, never assumed.
 */
public final class Cgroup2 {
    private Cgroup2() {
    }

    /** The first cgroup2 mount in /proc/self/mountinfo. */
    public static Path mountPoint() {
        return MountInfo.read().stream()
                .filter(m -> m.fsType().equals("cgroup2"))
                .map(MountInfo::mountPoint)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no cgroup v2 hierarchy is mounted (none in"
                        + " /proc/self/mountinfo): mount one, e.g. mount -t cgroup2 none /sys/fs/cgroup/unified"));
    }
}
