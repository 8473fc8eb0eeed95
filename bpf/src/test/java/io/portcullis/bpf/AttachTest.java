package io.portcullis.bpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.portcullis.bpf.maps.StructCodec;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Attaching to real hooks: TC and XDP on a veth pair inside a namespace the test creates, a
 * connect4 program on a cgroup of its own, sk_msg on a SOCKHASH; each checked with the kernel's
 * own tools, then detached and checked gone.
 */
class AttachTest {
    @RegisterExtension
    final TestPins pins = TestPins.perTest("attaches programs to interfaces and cgroups");

    @Test
    void tcAttachAndDetachOnAVethInATestNamespace() throws Exception {
        try (TestNetns ns = new TestNetns(); BpfObject lxc = DatapathObject.LXC.open(pins.dir()).load()) {
            TcAttachment ingress = ns.inside(() -> lxc.program("lxc_from_endpoint")
                    .attachTc(NetNs.interfaceIndex("pcv0"), TcDirection.INGRESS, 1));
            TcAttachment egress = ns.inside(() -> lxc.program("lxc_to_endpoint")
                    .attachTc(NetNs.interfaceIndex("pcv0"), TcDirection.EGRESS, 1));
            // Re-attaching at the same priority replaces the filter instead of stacking a second one.
            ns.inside(() -> lxc.program("lxc_from_endpoint").attachTc(NetNs.interfaceIndex("pcv0"), TcDirection.INGRESS, 1));

            assertThat(ingress.handle()).isEqualTo(TcAttachment.HANDLE);
            assertThat(ingress.programId()).isPositive();
            // The kernel keeps 15 characters of a program name: lxc_from_endpoi.
            String attached = ns.exec("bpftool", "net", "show", "dev", "pcv0");
            assertThat(attached).contains("pcv0(" + ingress.ifindex() + ") clsact/ingress lxc_from_endpoi")
                    .contains("pcv0(" + egress.ifindex() + ") clsact/egress lxc_to_endpoint:[" + egress.programId() + "]");
            assertThat(ns.exec("tc", "filter", "show", "dev", "pcv0", "ingress").lines()
                    .filter(line -> line.contains("direct-action"))).hasSize(1);

            ns.inside(() -> {
                ingress.close();
                egress.close();
                return null;
            });
            assertThat(ns.exec("bpftool", "net", "show", "dev", "pcv0")).doesNotContain("lxc_");
        }
    }

    @Test
    void xdpGenericAttachAndDetachOnAVeth() throws Exception {
        try (TestNetns ns = new TestNetns(); BpfObject xdp = DatapathObject.XDP.open(pins.dir()).load()) {
            XdpAttachment attachment = ns.inside(() -> xdp.program("xdp_prefilter")
                    .attachXdp(NetNs.interfaceIndex("pcv1"), XdpMode.GENERIC));

            int programId = ns.inside(attachment::attachedProgramId);
            assertThat(programId).isPositive();
            assertThat(ns.exec("ip", "link", "show", "dev", "pcv1")).contains("xdpgeneric").contains("id " + programId);
            assertThat(ns.exec("bpftool", "net", "show", "dev", "pcv1")).contains("pcv1(" + attachment.ifindex()
                    + ") generic id " + programId);

            ns.inside(() -> {
                attachment.close();
                return null;
            });
            assertThat(ns.inside(attachment::attachedProgramId)).isZero();
            assertThat(ns.exec("ip", "link", "show", "dev", "pcv1")).doesNotContain("xdp");
        }
    }

    @Test
    void connect4OnACgroupRefusesWhatTheProgramRefuses() throws Exception {
        Path cgroup = Cgroup2.mountPoint().resolve("portcullis-test-" + UUID.randomUUID().toString().substring(0, 8));
        Files.createDirectory(cgroup);
        try (BpfObject object = BpfObject.open(TestObjects.path("test_attach.o")).load();
                ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CgroupAttachment attachment = object.program("test_connect4").attachCgroup(cgroup, AttachType.CGROUP_INET4_CONNECT);
            try {
                assertThat(Shell.check("bpftool", "cgroup", "show", cgroup.toString())).contains("cgroup_inet4_connect")
                        .contains("test_connect4");
                assertThat(connectFrom(cgroup, 9).output()).contains("Operation not permitted");
                assertThat(connectFrom(cgroup, listener.getLocalPort()).exitCode()).isZero();
            } finally {
                attachment.close();
            }
            assertThat(Shell.check("bpftool", "cgroup", "show", cgroup.toString())).doesNotContain("test_connect4");
        } finally {
            Files.delete(cgroup); // the shell that joined it has exited, so it is empty
        }
    }

    @Test
    void skMsgAttachAndDetachOnASockhash() {
        try (BpfObject object = BpfObject.open(TestObjects.path("test_attach.o")).load()) {
            BpfMap<Integer, Long> sockhash = object.map("test_sockhash", StructCodec.U32, StructCodec.U64);
            SockMapAttachment attachment = object.program("test_sk_msg").attachSkMsg(sockhash);

            attachment.close();
            BpfException notAttached = assertThrows(BpfException.class, attachment::close);
            assertThat(notAttached.function()).isEqualTo("bpf_prog_detach2");
            assertThat(notAttached.isNotFound()).isTrue();
        }
    }

    /** A shell that joins the cgroup and then connects to 127.0.0.1:port (bash's /dev/tcp). */
    private static Shell.Result connectFrom(Path cgroup, int port) throws Exception {
        return Shell.run(List.of("bash", "-c", "echo $$ > " + cgroup.resolve("cgroup.procs")
                + " && exec 3<>/dev/tcp/127.0.0.1/" + port));
    }
}
