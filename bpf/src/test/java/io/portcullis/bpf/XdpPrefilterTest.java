package io.portcullis.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.bpf.maps.DropCounter;
import io.portcullis.bpf.maps.DropReason;
import io.portcullis.bpf.maps.Ipv4PrefixKey;
import io.portcullis.bpf.maps.MapNames;
import io.portcullis.bpf.maps.PrefilterHashKey;
import io.portcullis.bpf.maps.PrefilterValue;
import io.portcullis.bpf.maps.StructCodec;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** bpf_xdp.o in the kernel through BPF_PROG_TEST_RUN, with its maps filled from Java. */
class XdpPrefilterTest {
    private static final int XDP_DROP = 1;
    private static final int XDP_PASS = 2;

    @RegisterExtension
    final TestPins pins = TestPins.perTest("loads bpf_xdp.o");
    private BpfObject object;
    private BpfProgram prefilter;
    private BpfMap<PrefilterHashKey, PrefilterValue> hosts;
    private BpfMap<Ipv4PrefixKey, PrefilterValue> prefixes;
    private BpfMap<Integer, DropCounter> drops;

    @BeforeEach
    void load() {
        object = DatapathObject.XDP.open(pins.dir()).load();
        prefilter = object.program("xdp_prefilter");
        hosts = object.map(MapNames.PREFILTER_HASH, PrefilterHashKey.CODEC, PrefilterValue.CODEC);
        prefixes = object.map(MapNames.PREFILTER_LPM, Ipv4PrefixKey.CODEC, PrefilterValue.CODEC);
        drops = object.map(MapNames.DROPS, StructCodec.U32, DropCounter.CODEC);
    }

    @AfterEach
    void unload() {
        if (object != null) {
            object.close();
        }
    }

    @Test
    void blockedHostIsDroppedAndCounted() throws Exception {
        PrefilterHashKey blocked = new PrefilterHashKey(ip("198.51.100.7"));
        hosts.put(blocked, PrefilterValue.NEW);

        assertThat(run(Packets.tcp("198.51.100.7", 40000, "10.0.0.1", 80))).isEqualTo(XDP_DROP);
        assertThat(run(Packets.udp("198.51.100.7", 53, "10.0.0.1", 5353))).isEqualTo(XDP_DROP);

        assertThat(hosts.lookup(blocked)).contains(new PrefilterValue(2));
        DropCounter total = prefilterDrops();
        assertThat(total.packets()).isEqualTo(2);
        assertThat(total.bytes()).isEqualTo(54 + 42);
    }

    @Test
    void addressInBlockedPrefixIsDroppedAndItsNeighbourPasses() throws Exception {
        Ipv4PrefixKey blocked = new Ipv4PrefixKey(24, ip("203.0.113.0"));
        prefixes.put(blocked, PrefilterValue.NEW);

        assertThat(run(Packets.tcp("203.0.113.0", 1, "10.0.0.1", 80))).isEqualTo(XDP_DROP);
        assertThat(run(Packets.tcp("203.0.113.255", 1, "10.0.0.1", 80))).isEqualTo(XDP_DROP);
        assertThat(run(Packets.tcp("203.0.112.255", 1, "10.0.0.1", 80))).isEqualTo(XDP_PASS);
        assertThat(run(Packets.tcp("203.0.114.0", 1, "10.0.0.1", 80))).isEqualTo(XDP_PASS);

        assertThat(prefixes.lookup(blocked)).contains(new PrefilterValue(2));
        assertThat(prefilterDrops().packets()).isEqualTo(2);
    }

    @Test
    void onlyTheSourceAddressIsFiltered() throws Exception {
        hosts.put(new PrefilterHashKey(ip("198.51.100.7")), PrefilterValue.NEW);

        assertThat(run(Packets.tcp("10.0.0.1", 80, "198.51.100.7", 40000))).isEqualTo(XDP_PASS);
    }

    @Test
    void nonIpv4FramesPass() throws Exception {
        prefixes.put(new Ipv4PrefixKey(0, ip("0.0.0.0")), PrefilterValue.NEW); // block every IPv4 source

        assertThat(run(Packets.arp())).isEqualTo(XDP_PASS);
        assertThat(run(Packets.ipv6())).isEqualTo(XDP_PASS);
        assertThat(run(Packets.tcp("192.0.2.1", 1, "10.0.0.1", 80))).isEqualTo(XDP_DROP);
    }

    /**
     * Frames without a whole IPv4 header pass: the prefilter cannot read their source, and the
     * stack drops malformed packets itself. Frames under 14 bytes cannot be test-run (the kernel
     * refuses them) but take the same bounds check as the 14-byte one.
     */
    @Test
    void truncatedIpv4HeaderPassesButACutOffTcpHeaderIsStillFiltered() throws Exception {
        prefixes.put(new Ipv4PrefixKey(0, ip("0.0.0.0")), PrefilterValue.NEW);
        byte[] frame = Packets.tcp("192.0.2.1", 1, "10.0.0.1", 80);

        assertThat(run(Packets.truncate(frame, 14))).isEqualTo(XDP_PASS);
        assertThat(run(Packets.truncate(frame, 14 + 19))).isEqualTo(XDP_PASS);
        assertThat(run(Packets.truncate(frame, 14 + 20 + 2))).isEqualTo(XDP_DROP); // the source is all it needs
        assertThat(prefilterDrops().packets()).isEqualTo(1);
    }

    @Test
    void ipv4HeaderWithBadLengthFieldPasses() throws Exception {
        prefixes.put(new Ipv4PrefixKey(0, ip("0.0.0.0")), PrefilterValue.NEW);
        byte[] frame = Packets.tcp("192.0.2.1", 1, "10.0.0.1", 80);
        frame[14] = 0x44; // IHL 4: shorter than the minimal header
        byte[] longHeader = Packets.tcp("192.0.2.1", 1, "10.0.0.1", 80);
        longHeader[14] = 0x4F; // IHL 15: 60 bytes, past the end of this 54-byte frame

        assertThat(run(frame)).isEqualTo(XDP_PASS);
        assertThat(run(longHeader)).isEqualTo(XDP_PASS);
    }

    @Test
    void nonFirstFragmentsAreFilteredBySource() throws Exception {
        hosts.put(new PrefilterHashKey(ip("198.51.100.7")), PrefilterValue.NEW);

        assertThat(run(Packets.ipv4("198.51.100.7", "10.0.0.1", Packets.UDP, 0x0010, new byte[8]))).isEqualTo(XDP_DROP);
    }

    /** Prints ns/packet for growing LPM tries; not asserted (machines differ), read it in the report. */
    @Test
    void measureLookupCostWithLargeTries() throws Exception {
        Random random = new Random(42);
        int filled = 0;
        for (int target : new int[] {1_000, 100_000}) {
            for (; filled < target; filled++) {
                // Prefixes /24../32 inside 10.0.0.0/8 (most of it stays uncovered for the deep-miss case).
                int length = 24 + random.nextInt(9);
                int bits = 10 << 24 | random.nextInt(1 << 24);
                prefixes.put(new Ipv4PrefixKey(length, intToIp(bits)), PrefilterValue.NEW);
            }
            prefixes.put(new Ipv4PrefixKey(24, ip("203.0.113.0")), PrefilterValue.NEW);
            long miss = timed(Packets.tcp("198.51.100.1", 1, "10.0.0.1", 80), XDP_PASS);
            long deepMiss = timed(Packets.tcp(uncoveredIn10Slash8(random), 1, "10.0.0.1", 80), XDP_PASS);
            long hit = timed(Packets.tcp("203.0.113.9", 1, "10.0.0.1", 80), XDP_DROP);
            System.out.printf("XDP prefilter with %,d LPM prefixes: %d ns/packet on a miss outside the filled range,"
                    + " %d ns/packet on a miss inside it (deep trie walk), %d ns/packet on a match (XDP_DROP)%n",
                    target, miss, deepMiss, hit);
        }
    }

    /** A source inside 10.0.0.0/8 that no random prefix covers, so the lookup walks deep and misses. */
    private String uncoveredIn10Slash8(Random random) throws Exception {
        for (int attempt = 0; attempt < 1_000; attempt++) {
            String candidate = intToIp(10 << 24 | random.nextInt(1 << 24)).getHostAddress();
            if (run(Packets.tcp(candidate, 1, "10.0.0.1", 80)) == XDP_PASS) {
                return candidate;
            }
        }
        throw new AssertionError("the random prefixes cover all of 10.0.0.0/8: use longer prefixes");
    }

    private long timed(byte[] frame, int expected) {
        TestRun.Result result = prefilter.testRun(TestRun.of(frame).repeat(1_000_000));
        assertThat(result.retval()).isEqualTo(expected);
        return result.durationNs();
    }

    private int run(byte[] frame) {
        TestRun.Result result = prefilter.testRun(TestRun.of(frame));
        assertThat(result.packet()).isEqualTo(frame);
        return result.retval();
    }

    private DropCounter prefilterDrops() {
        return DropCounter.sum(drops.lookupPerCpu(DropReason.PREFILTER.code()).orElseThrow());
    }

    static Inet4Address ip(String dotted) throws Exception {
        return (Inet4Address) InetAddress.getByAddress(Packets.addr(dotted));
    }

    private static Inet4Address intToIp(int bits) throws Exception {
        return (Inet4Address) InetAddress.getByAddress(
                new byte[] {(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits});
    }
}
