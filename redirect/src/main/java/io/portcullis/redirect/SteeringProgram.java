package io.portcullis.redirect;

import io.portcullis.bpf.AttachType;
import io.portcullis.bpf.DatapathObject;
import java.nio.file.Path;

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
    GETPEERNAME6(DatapathObject.SOCK, "sock_getpeername6", AttachType.CGROUP_INET6_GETPEERNAME);

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

    /** The cgroup a cgroup program attaches to; null for the sk_msg program. */
    Path cgroup(SteeringCgroups cgroups) {
        switch (this) {
            case CONNECT4:
            case CONNECT6:
            case GETPEERNAME4:
            case GETPEERNAME6:
                return cgroups.endpoints();
            case SOCKOPS:
                return cgroups.root();
            default:
                return null;
        }
    }
}
