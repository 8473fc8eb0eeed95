package io.portcullis.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MountInfoTest {

    @Test
    void parsesMountPointsTypesAndEscapes() {
        List<MountInfo> mounts = MountInfo.parse(List.of(
                "30 25 0:26 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw",
                "41 25 0:36 / /sys/fs/bpf rw,relatime - bpf bpf rw,mode=700",
                "50 25 0:40 / /mnt/with\\040space rw master:1 shared:2 - tmpfs none rw",
                "garbage"));

        assertThat(mounts).containsExactly(
                new MountInfo(Path.of("/sys/fs/cgroup/unified"), "cgroup2"),
                new MountInfo(Path.of("/sys/fs/bpf"), "bpf"),
                new MountInfo(Path.of("/mnt/with space"), "tmpfs"));
    }

    @Test
    void findsThisMachinesCgroup2Hierarchy() {
        Path root = Cgroup2.mountPoint();

        assertThat(Files.isRegularFile(root.resolve("cgroup.controllers")))
                .as("%s is a cgroup v2 root", root).isTrue();
    }
}
