package io.portcullis.bpf;

/** The {@code enum bpf_attach_type} values Portcullis attaches with {@code bpf_prog_attach}. */
public enum AttachType {
    /** bpf_sockops: sock_ops on a cgroup. */
    CGROUP_SOCK_OPS(3),
    /** bpf_redir: sk_msg verdict on a SOCKHASH. */
    SK_MSG_VERDICT(7),
    /** bpf_sock: connect4 on a cgroup. */
    CGROUP_INET4_CONNECT(10),
    /** bpf_sock: connect6 on a cgroup, for dual-stack sockets connecting to IPv4 peers. */
    CGROUP_INET6_CONNECT(11),
    /** bpf_sock: sendmsg4 on a cgroup, for datagrams sent to a UDP service with sendto(); the kernel
     *  runs it for dual-stack sockets sending to IPv4 peers too (sendmsg6 never sees those). */
    CGROUP_UDP4_SENDMSG(14),
    /** bpf_sock: recvmsg4 on a cgroup, to show a UDP service's frontend as the source of its answers. */
    CGROUP_UDP4_RECVMSG(19),
    /** bpf_sock: recvmsg6 on a cgroup, the same for dual-stack sockets. */
    CGROUP_UDP6_RECVMSG(20),
    /** bpf_sock: getpeername4 on a cgroup, to show the address a translated connect asked for. */
    CGROUP_INET4_GETPEERNAME(29),
    /** bpf_sock: getpeername6 on a cgroup, the same for dual-stack sockets with IPv4 peers. */
    CGROUP_INET6_GETPEERNAME(30);

    private final int code;

    AttachType(int code) {
        this.code = code;
    }

    int code() {
        return code;
    }
}
