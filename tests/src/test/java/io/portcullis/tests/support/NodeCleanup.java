package io.portcullis.tests.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.bpf.BpfFs;
import io.portcullis.bpf.Cgroup2;
import io.portcullis.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * The end of every test class that touched the node's datapath: {@code portcullis uninstall}, and
 * what "nothing left behind" means afterwards.
 */
public final class NodeCleanup {
    private NodeCleanup() {
    }

    /** {@code portcullis uninstall --config FILE}, in process; returns what it printed. */
    public static String uninstall(Path config) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute("uninstall", "--config", config.toString());
        if (exit != 0) {
            throw new IllegalStateException("uninstall failed: " + err);
        }
        return out.toString();
    }

    public static void assertNothingLeftBehind(String pool) throws Exception {
        assertThat(BpfFs.PIN_ROOT).as("pins").doesNotExist();
        assertThat(Cgroup2.mountPoint().resolve("portcullis")).as("cgroups").doesNotExist();
        assertThat(run("ip", "netns", "list")).as("network namespaces").doesNotContainPattern("(?m)^pc-");
        assertThat(run("ip", "-o", "link", "show")).as("veths").doesNotContainPattern(": pc[0-9a-f]{10}[@:]");
        assertThat(run("ip", "route", "show", "type", "blackhole")).as("blackhole routes")
                .doesNotContain(pool.substring(0, pool.indexOf('/')));
        String programs = run("bpftool", "prog", "show");
        assertThat(programs).as("programs").doesNotContain("sock_connect4").doesNotContain("sock_connect6")
                .doesNotContain("sockops_establi").doesNotContain("redir_msg").doesNotContain("xdp_prefilter")
                .doesNotContain("lxc_from_endpoi").doesNotContain("lb_ingress").doesNotContain("lb_egress")
                .doesNotContain("sock_getpeernam").doesNotContain("sock_sendmsg").doesNotContain("sock_recvmsg");
        // From the mount point: the tree includes the root, where the socket programs attach.
        assertThat(run("bpftool", "cgroup", "tree", Cgroup2.mountPoint().toString())).as("cgroup attachments")
                .doesNotContain("sock_connect4").doesNotContain("sock_connect6").doesNotContain("sockops_establi")
                .doesNotContain("sock_getpeernam").doesNotContain("sock_sendmsg").doesNotContain("sock_recvmsg");
    }

    private static String run(String... command) throws Exception {
        return ProcessRunner.run(List.of(command)).stdout();
    }
}
