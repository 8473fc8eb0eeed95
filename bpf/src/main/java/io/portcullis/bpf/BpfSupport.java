package io.portcullis.bpf;

import java.util.Optional;

/** Whether this process can use BPF at all: libbpf present and the kernel accepting programs. */
public final class BpfSupport {
    private static final int BPF_PROG_TYPE_SCHED_CLS = 3;
    private static final int BPF_PROG_TYPE_XDP = 6;

    private BpfSupport() {
    }

    /**
     * Empty when libbpf loads and the kernel lets this process load TC and XDP programs;
     * otherwise why not, in words an operator can act on.
     */
    public static Optional<String> unavailableReason() {
        String loadFailure = Native.loadFailure();
        if (loadFailure != null) {
            return Optional.of(loadFailure);
        }
        for (int type : new int[] {BPF_PROG_TYPE_SCHED_CLS, BPF_PROG_TYPE_XDP}) {
            int rc = Native.libbpf().libbpf_probe_bpf_prog_type(type, null);
            if (rc < 0) {
                return Optional.of("the kernel refuses to load BPF programs here: " + Native.strerror(-rc)
                        + " - run as root (or with CAP_BPF and CAP_NET_ADMIN) on a kernel with BPF enabled");
            }
            if (rc == 0) {
                return Optional.of("the kernel does not support BPF program type " + type
                        + (type == BPF_PROG_TYPE_XDP ? " (XDP)" : " (TC)"));
            }
        }
        return Optional.empty();
    }
}
