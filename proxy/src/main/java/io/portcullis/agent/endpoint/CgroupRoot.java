package io.portcullis.agent.endpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds where cgroup v2 is mounted (it differs between distributions and containers). */
final class CgroupRoot {
    private CgroupRoot() {
    }

    /** The first cgroup2 mount in /proc/self/mountinfo. */
    static Path cgroup2() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            // ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER
            int separator = line.indexOf(" - ");
            if (separator > 0 && line.substring(separator + 3).startsWith("cgroup2 ")) {
                return Path.of(line.split(" ")[4]);
            }
        }
        throw new IOException("cgroup v2 is not mounted; mount it (mount -t cgroup2 none /sys/fs/cgroup) "
                + "so that endpoints get their own cgroup");
    }
}
