package io.portcullis.bpf;

import io.portcullis.bpf.Native.LibBpf;
import java.nio.file.Path;
import jnr.ffi.Pointer;

/**
 * One program of a {@link BpfObject}: attach it, pin it, or run it on test input. Attachments
 * persist in the kernel after this process exits (that keeps traffic flowing across agent
 * restarts); detach by closing the returned {@link Attachment}.
 */
public final class BpfProgram {
    private static final int BPF_F_ALLOW_MULTI = 1 << 1;
    private static final int EEXIST = 17;

    private final BpfObject owner;
    private final Pointer program;
    private final String name;

    BpfProgram(BpfObject owner, Pointer program, String name) {
        this.owner = owner;
        this.program = program;
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** The program fd; valid while the object is open and loaded. */
    public int fd() {
        owner.requireLoaded("program " + name);
        return Native.check("bpf_program__fd", "getting the fd of program " + name,
                () -> Native.libbpf().bpf_program__fd(program));
    }

    /** Pins the program at path on a bpffs. */
    public void pin(Path path) {
        owner.requireLoaded("pinning program " + name);
        Native.check("bpf_program__pin", "pinning program " + name + " at " + path,
                () -> Native.libbpf().bpf_program__pin(program, path.toString()));
    }

    /**
     * Attaches to a cgroup v2 directory with {@code BPF_F_ALLOW_MULTI}, so programs of other
     * tools on the same cgroup keep running.
     */
    public CgroupAttachment attachCgroup(Path cgroup, AttachType type) {
        int progFd = fd();
        String context = "attaching " + name + " to cgroup " + cgroup + " as " + type;
        int cgroupFd = CgroupAttachment.openCgroup(cgroup, context);
        try {
            Native.check("bpf_prog_attach", context,
                    () -> Native.libbpf().bpf_prog_attach(progFd, cgroupFd, type.code(), BPF_F_ALLOW_MULTI));
        } finally {
            Native.libc().close(cgroupFd);
        }
        return new CgroupAttachment(this, cgroup, type);
    }

    /** Attaches an sk_msg program to a SOCKHASH/SOCKMAP ({@code BPF_SK_MSG_VERDICT}). */
    public SockMapAttachment attachSkMsg(BpfMap<?, ?> sockMap) {
        int progFd = fd();
        Native.check("bpf_prog_attach", "attaching " + name + " to sockmap " + sockMap.name(),
                () -> Native.libbpf().bpf_prog_attach(progFd, sockMap.fd(), AttachType.SK_MSG_VERDICT.code(), 0));
        return new SockMapAttachment(this, sockMap);
    }

    /**
     * Attaches as a direct-action TC classifier on ifindex (in the calling thread's network
     * namespace), creating the clsact qdisc when missing. The filter is handle 1 at the given
     * priority and replaces a filter already there, so re-attaching after a restart is idempotent.
     */
    public TcAttachment attachTc(int ifindex, TcDirection direction, int priority) {
        int progFd = fd();
        String context = "attaching " + name + " to TC " + direction + " of ifindex " + ifindex;
        Pointer hook = LibBpfStructs.TcHook.of(ifindex, direction.attachPoint());
        LibBpf lib = Native.libbpf();
        // The clsact qdisc is there already when the other direction was attached first: fine.
        Native.checkExpecting("bpf_tc_hook_create", context, EEXIST, () -> lib.bpf_tc_hook_create(hook));
        Pointer opts = LibBpfStructs.TcOpts.of(progFd, LibBpfStructs.TcOpts.BPF_TC_F_REPLACE, TcAttachment.HANDLE,
                priority);
        Native.check("bpf_tc_attach", context, () -> lib.bpf_tc_attach(hook, opts));
        return new TcAttachment(ifindex, direction, opts.getInt(LibBpfStructs.TcOpts.HANDLE),
                opts.getInt(LibBpfStructs.TcOpts.PRIORITY), opts.getInt(LibBpfStructs.TcOpts.PROG_ID));
    }

    /** Attaches as the XDP program of ifindex (calling thread's namespace), replacing any. */
    public XdpAttachment attachXdp(int ifindex, XdpMode mode) {
        int progFd = fd();
        Native.check("bpf_xdp_attach", "attaching " + name + " as " + mode + " XDP to ifindex " + ifindex,
                () -> Native.libbpf().bpf_xdp_attach(ifindex, progFd, mode.flags(), null));
        return new XdpAttachment(ifindex, mode);
    }

    /** Runs the program once or {@code repeat} times on the input ({@code BPF_PROG_TEST_RUN}). */
    public TestRun.Result testRun(TestRun run) {
        return run.execute(fd(), name);
    }

    @Override
    public String toString() {
        return "BpfProgram[" + name + " of " + owner.name() + "]";
    }
}
