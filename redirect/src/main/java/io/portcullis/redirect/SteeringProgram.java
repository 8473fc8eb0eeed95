package io.portcullis.redirect;

import io.portcullis.bpf.AttachType;
import io.portcullis.bpf.DatapathObject;
import io.portcullis.bpf.PinnedProgram;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The steering programs: which object holds each, where it attaches and where it is pinned
 * ({@code <pin root>/programs/<name>}). The pin is how the next agent and {@code uninstall} find
 * the program an earlier process attached.
 */
enum SteeringProgram {
    CONNECT4(DatapathObject.SOCK, "sock_connect4", AttachType.CGROUP_INET4_CONNECT),
    SOCKOPS(DatapathObject.SOCKOPS, "sockops_established", AttachType.CGROUP_SOCK_OPS),
    /** Attached to the sockhash, not a cgroup: attaching again replaces it in place. */
    REDIR(DatapathObject.REDIR, "redir_msg", AttachType.SK_MSG_VERDICT),
    /** Dual-stack sockets (Java's default) connect to IPv4 peers through connect6. */
    CONNECT6(DatapathObject.SOCK, "sock_connect6", AttachType.CGROUP_INET6_CONNECT),
    /** Shows a translated (service) or steered connection's original peer to getpeername(). */
    GETPEERNAME4(DatapathObject.SOCK, "sock_getpeername4", AttachType.CGROUP_INET4_GETPEERNAME),
    /** The same for dual-stack sockets with IPv4 peers. */
    GETPEERNAME6(DatapathObject.SOCK, "sock_getpeername6", AttachType.CGROUP_INET6_GETPEERNAME),
    /**
     * Translates datagrams sent to a UDP service with sendto() on an unconnected socket, from
     * dual-stack sockets too: the kernel runs sendmsg4 for their IPv4 peers.
     */
    SENDMSG4(DatapathObject.SOCK, "sock_sendmsg4", AttachType.CGROUP_UDP4_SENDMSG),
    /** Shows a UDP service's frontend as the source of its backend's answers to recvfrom(). */
    RECVMSG4(DatapathObject.SOCK, "sock_recvmsg4", AttachType.CGROUP_UDP4_RECVMSG),
    /** The same for dual-stack sockets. */
    RECVMSG6(DatapathObject.SOCK, "sock_recvmsg6", AttachType.CGROUP_UDP6_RECVMSG);

    static final String PROGRAM_DIR = "programs";

    final DatapathObject object;
    final String programName;
    final AttachType attachType;

    SteeringProgram(DatapathObject object, String programName, AttachType attachType) {
        this.object = object;
        this.programName = programName;
        this.attachType = attachType;
    }

    Path pin(Path pinRoot) {
        return pinRoot.resolve(PROGRAM_DIR).resolve(programName);
    }

    /**
     * The cgroup a cgroup program attaches to: the cgroup v2 root for all of them (services are
     * translated for every process of the node; steering only for sockets of endpoint cgroups,
     * which bpf_sock tells by the cgroup id); null for the sk_msg program.
     */
    Path cgroup(SteeringCgroups cgroups) {
        return this == REDIR ? null : cgroups.root();
    }

    /**
     * Detaches an earlier process's copy of this program from where it is attached: where this
     * program attaches now or, for the socket address programs, the endpoints' cgroup, where
     * agents before node-wide service translation attached them. Returns the cgroup it was
     * detached from; empty when it was attached in neither (or is the sk_msg program).
     */
    Optional<Path> detachEarlier(PinnedProgram earlier, SteeringCgroups cgroups) {
        Path cgroup = cgroup(cgroups);
        if (cgroup == null) {
            return Optional.empty();
        }
        if (earlier.detachCgroup(cgroup, attachType)) {
            return Optional.of(cgroup);
        }
        if (this != SOCKOPS && earlier.detachCgroup(cgroups.endpoints(), attachType)) {
            return Optional.of(cgroups.endpoints());
        }
        return Optional.empty();
    }
}
