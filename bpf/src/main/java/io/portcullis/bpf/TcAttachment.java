package io.portcullis.bpf;

import jnr.ffi.Pointer;

/**
 * A TC classifier on a clsact hook, identified by (ifindex, direction, handle, priority) as the
 * kernel knows it; a restarted agent can rebuild this record to detach what an earlier run
 * attached. The clsact qdisc itself stays (other filters may use it).
 */
public record TcAttachment(int ifindex, TcDirection direction, int handle, int priority, int programId)
        implements Attachment {
    /** The filter handle Portcullis always uses; the priority tells its filters apart. */
    public static final int HANDLE = 1;

    @Override
    public void close() {
        Pointer hook = LibBpfStructs.TcHook.of(ifindex, direction.attachPoint());
        // bpf_tc_detach wants only handle and priority: prog_fd, prog_id and flags must be zero.
        Pointer opts = LibBpfStructs.TcOpts.of(0, 0, handle, priority);
        Native.check("bpf_tc_detach", "detaching TC " + direction + " filter " + handle + "/" + priority
                + " from ifindex " + ifindex, () -> Native.libbpf().bpf_tc_detach(hook, opts));
    }
}
