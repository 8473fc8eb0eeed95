package io.portcullis.bpf;

import java.nio.file.Path;

/**
 * A program reached through its pin on bpffs rather than through the object that loaded it: how a
 * restarted agent or {@code uninstall} finds the programs an earlier process attached, to detach
 * them. Owns its fd; close it.
 */
public final class PinnedProgram implements AutoCloseable {
    private final Path path;
    private final int fd;
    private boolean closed;

    private PinnedProgram(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /** Opens the program pinned at path ({@code bpf_obj_get}). */
    public static PinnedProgram open(Path path) {
        int fd = Native.check("bpf_obj_get", "opening pinned program " + path,
                () -> Native.libbpf().bpf_obj_get(path.toString()));
        return new PinnedProgram(path, fd);
    }

    public Path path() {
        return path;
    }

    /**
     * Detaches this program from a cgroup hook; false when it was not attached there (already
     * detached, or the cgroup is gone).
     */
    public boolean detachCgroup(Path cgroup, AttachType type) {
        String context = "detaching pinned program " + path + " from cgroup " + cgroup;
        int cgroupFd = Native.libc().open(cgroup.toString(), Native.LibC.O_RDONLY | Native.LibC.O_DIRECTORY
                | Native.LibC.O_CLOEXEC);
        if (cgroupFd < 0) {
            return false;
        }
        try {
            return Native.checkFound("bpf_prog_detach2", context,
                    () -> Native.libbpf().bpf_prog_detach2(fd, cgroupFd, type.code()));
        } finally {
            Native.libc().close(cgroupFd);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Native.libc().close(fd);
        }
    }
}
