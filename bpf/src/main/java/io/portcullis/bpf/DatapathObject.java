package io.portcullis.bpf;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The BPF objects built from bpf/src/main/c and shipped in this jar under
 * {@code io/portcullis/bpf/obj/}, with the programs each contains.
 */
public enum DatapathObject {
    /** CIDR prefilter; program {@code xdp_prefilter}, XDP on the uplink. */
    XDP("bpf_xdp.o"),
    /** Endpoint L3/L4 policy; programs {@code lxc_from_endpoint} (TC ingress of the host veth)
     *  and {@code lxc_to_endpoint} (TC egress of the host veth). */
    LXC("bpf_lxc.o"),
    /** Socket-level service translation, policy and L7 steering; programs {@code sock_connect4} and
     *  {@code sock_connect6} (cgroup/connect4 and connect6), {@code sock_sendmsg4} and
     *  {@code sock_recvmsg4/6} (cgroup/sendmsg4 and recvmsg4/6: unconnected UDP) and
     *  {@code sock_getpeername4} and {@code sock_getpeername6} (cgroup/getpeername4 and 6), all on
     *  the cgroup v2 root. */
    SOCK("bpf_sock.o", "Portcullis needs Linux 5.18 or newer for bpf_sock: its cgroup sock_addr programs call"
            + " bpf_set_retval; this kernel is " + System.getProperty("os.version")),
    /** Original-destination re-keying and socket pairing; program {@code sockops_established},
     *  sock_ops on the cgroup v2 root. */
    SOCKOPS("bpf_sockops.o"),
    /** Socket redirect; program {@code redir_msg}, sk_msg on the sockhash. */
    REDIR("bpf_redir.o"),
    /** North-south service load balancing; programs {@code lb_ingress} (TC ingress of the uplink:
     *  DNAT to a backend) and {@code lb_egress} (TC egress of the uplink: replies back to the VIP). */
    LB("bpf_lb.o");

    private static final String RESOURCE_DIR = "/io/portcullis/bpf/obj/";

    private final String fileName;
    /** Named when loading fails; empty when the object needs nothing beyond what the others do. */
    private final String kernelRequirement;

    DatapathObject(String fileName) {
        this(fileName, "");
    }

    DatapathObject(String fileName, String kernelRequirement) {
        this.fileName = fileName;
        this.kernelRequirement = kernelRequirement;
    }

    public String fileName() {
        return fileName;
    }

    /** The ELF image from the classpath. */
    public byte[] bytes() {
        try (InputStream in = DatapathObject.class.getResourceAsStream(RESOURCE_DIR + fileName)) {
            if (in == null) {
                throw new IllegalStateException("BPF object " + RESOURCE_DIR + fileName + " is not on the classpath:"
                        + " the bpf module must be built with clang (mvn -pl bpf install, see bin/setup)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read BPF object " + fileName, e);
        }
    }

    /** Opens (not loads) the object; its shared maps pin under pinRoot (e.g. {@link BpfFs#PIN_ROOT}). */
    public BpfObject open(Path pinRoot) {
        return BpfObject.open(bytes(), fileName.replace(".o", ""), pinRoot).requiring(kernelRequirement);
    }
}
