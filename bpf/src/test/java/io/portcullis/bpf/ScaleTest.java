package io.portcullis.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.bpf.maps.IpcacheValue;
import io.portcullis.bpf.maps.Ipv4PrefixKey;
import io.portcullis.bpf.maps.MapNames;
import io.portcullis.bpf.maps.PolicyKey;
import io.portcullis.bpf.maps.PolicyValue;
import io.portcullis.bpf.maps.TrafficDirection;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Apply cost at scale, printed for the report (machines differ, so only sanity is asserted):
 * 10,000 policy entries and 100,000 ipcache entries written through {@link BpfMap}, a policy
 * lookup with the maps that full, and the same 10,000 L3/L4 rules applied with iptables-restore
 * in a namespace of the test's own.
 */
class ScaleTest {
    private static final int POLICY_ENTRIES = 10_000;
    private static final int IPCACHE_ENTRIES = 100_000;

    @RegisterExtension
    final TestPins pins = TestPins.perTest("loads bpf_lxc.o");
    private BpfObject object;

    @BeforeEach
    void load() {
        object = DatapathObject.LXC.open(pins.dir()).load();
    }

    @AfterEach
    void unload() {
        if (object != null) {
            object.close();
        }
    }

    @Test
    void applyTenThousandPolicyEntriesAndAHundredThousandIpcacheEntries() throws Exception {
        BpfMap<PolicyKey, PolicyValue> policy = object.map(MapNames.POLICY, PolicyKey.CODEC, PolicyValue.CODEC);
        BpfMap<Ipv4PrefixKey, IpcacheValue> ipcache = object.map(MapNames.IPCACHE, Ipv4PrefixKey.CODEC, IpcacheValue.CODEC);

        long start = System.nanoTime();
        for (int i = 0; i < IPCACHE_ENTRIES; i++) {
            ipcache.put(new Ipv4PrefixKey(32, ip(0x0A400000 + i)), IpcacheValue.remote(256 + i % 5000));
        }
        long ipcacheNs = System.nanoTime() - start;
        ipcache.put(new Ipv4PrefixKey(32, ip(0x0A010001)), IpcacheValue.localEndpoint(1000));

        start = System.nanoTime();
        for (int i = 0; i < POLICY_ENTRIES; i++) {
            policy.put(PolicyKey.port(1000, 256 + i % 5000, TrafficDirection.EGRESS, Packets.TCP, 1024 + i / 5000),
                    PolicyValue.allow(i));
        }
        long policyNs = System.nanoTime() - start;

        BpfProgram program = object.program("lxc_from_endpoint");
        TestRun.Result allowed = program.testRun(TestRun.of(Packets.tcp("10.1.0.1", 40000,
                ip(0x0A400000 + 4999).getHostAddress(), 1025)).repeat(100_000));
        TestRun.Result denied = program.testRun(TestRun.of(Packets.tcp("10.1.0.1", 40000,
                ip(0x0A400000 + 4999).getHostAddress(), 2000)).repeat(100_000));
        assertThat(allowed.retval()).isZero();
        assertThat(denied.retval()).isEqualTo(2);

        System.out.printf("scale: %,d ipcache entries applied in %d ms (%.1f us each); %,d policy entries in %d ms"
                + " (%.1f us each); bpf_lxc with both maps full: %d ns/packet allowed (conntrack hit), %d ns/packet"
                + " denied%n", IPCACHE_ENTRIES, ipcacheNs / 1_000_000, ipcacheNs / 1e3 / IPCACHE_ENTRIES,
                POLICY_ENTRIES, policyNs / 1_000_000, policyNs / 1e3 / POLICY_ENTRIES, allowed.durationNs(),
                denied.durationNs());
    }

    /** The same 10,000 rules as iptables, for comparison; bin/setup installs iptables. */
    @Test
    void iptablesRestoreOfTheSameRulesForComparison() throws Exception {
        assertThat(Shell.run(List.of("sh", "-c", "command -v iptables-restore"))
                .exitCode()).as("iptables is not installed (bin/setup installs it)").isZero();
        StringBuilder rules = new StringBuilder("*filter\n:FORWARD DROP [0:0]\n");
        for (int i = 0; i < POLICY_ENTRIES; i++) {
            rules.append("-A FORWARD -s 10.1.0.1/32 -d ").append(ip(0x0A400000 + i % 5000).getHostAddress())
                    .append("/32 -p tcp --dport ").append(1024 + i / 5000).append(" -j ACCEPT\n");
        }
        rules.append("COMMIT\n");
        Path file = Files.createTempFile("portcullis-iptables", ".rules");
        try (TestNetns ns = new TestNetns()) {
            Files.writeString(file, rules);
            long start = System.nanoTime();
            ns.exec("iptables-restore", file.toString());
            long restoreNs = System.nanoTime() - start;
            String counted = ns.exec("sh", "-c", "iptables -S FORWARD | wc -l").trim();
            assertThat(Integer.parseInt(counted)).isEqualTo(POLICY_ENTRIES + 1);
            System.out.printf("scale: iptables-restore of %,d equivalent FORWARD rules took %d ms (linear rule walk"
                    + " per packet, whole table replaced on every change)%n", POLICY_ENTRIES, restoreNs / 1_000_000);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static Inet4Address ip(int bits) throws Exception {
        return (Inet4Address) InetAddress.getByAddress(
                new byte[] {(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits});
    }
}
