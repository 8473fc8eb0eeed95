package io.portcullis.bpf;

import io.portcullis.bpf.Native.LibC;
import java.nio.file.Path;

/** A program attached to a cgroup v2 directory with {@code BPF_F_ALLOW_MULTI}. */
public record CgroupAttachment(BpfProgram program, Path cgroup, AttachType type) implements Attachment {

    @Override
    public void close() {
        String context = "detaching " + program.name() + " from cgroup " + cgroup;
        int cgroupFd = openCgroup(cgroup, context);
        try {
            Native.check("bpf_prog_detach2", context,
                    () -> Native.libbpf().bpf_prog_detach2(program.fd(), cgroupFd, type.code()));
        } finally {
            Native.libc().close(cgroupFd);
        }
    }

    static int openCgroup(Path cgroup, String context) {
        return Native.checkLibc("open", context + " (is " + cgroup + " a cgroup v2 directory?)",
                () -> Native.libc().open(cgroup.toString(), LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC));
    }
}
