package io.portcullis.bpf;

import static io.portcullis.bpf.LbUnderTest.CLIENT;
import static io.portcullis.bpf.LbUnderTest.TC_ACT_OK;
import static io.portcullis.bpf.LbUnderTest.TC_ACT_SHOT;
import static io.portcullis.bpf.LbUnderTest.service;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.bpf.lb.FlowHash;
import io.portcullis.bpf.lb.LbAlgorithm;
import io.portcullis.bpf.lb.LbProtocol;
import io.portcullis.bpf.lb.LbService;
import io.portcullis.bpf.lb.Maglev;
import io.portcullis.bpf.maps.CtLifetime;
import io.portcullis.bpf.maps.DropReason;
import io.portcullis.bpf.maps.LbBackendValue;
import io.portcullis.bpf.maps.LbCtDirection;
import io.portcullis.bpf.maps.LbCtKey;
import io.portcullis.bpf.maps.LbCtValue;
import io.portcullis.bpf.maps.LbServiceKey;
import io.portcullis.bpf.maps.LbServiceValue;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** lb_ingress through BPF_PROG_TEST_RUN: DNAT of frames to a service frontend, nothing else. */
class LbIngressTest {
    private static final String VIP = "10.96.0.10";
    private static final List<String> BACKENDS = List.of("10.200.0.5:8080", "10.200.0.6:8080", "10.200.0.7:8080");

    @RegisterExtension
    final LbUnderTest lb = new LbUnderTest("loads bpf_lb.o");

    @Test
    void synToTheVipGoesToABackendWithValidChecksums() throws Exception {
        lb.balancer.sync(List.of(tcpService(LbAlgorithm.RANDOM, BACKENDS.get(0), BACKENDS.get(1))));
        byte[] syn = Packets.withChecksums(Packets.tcp(CLIENT, 40000, VIP, 80));

        TestRun.Result result = lb.ingress(syn);

        assertThat(result.retval()).isEqualTo(TC_ACT_OK);
        assertThat(Packets.destination(result.packet())).isIn(BACKENDS.get(0), BACKENDS.get(1));
        assertThat(Packets.source(result.packet())).isEqualTo(CLIENT + ":40000");
        assertThat(Packets.ipv4ChecksumValid(result.packet())).as("IPv4 header checksum").isTrue();
        assertThat(Packets.l4ChecksumValid(result.packet())).as("TCP checksum").isTrue();
    }

    @Test
    void laterPacketsOfAFlowKeepItsBackend() throws Exception {
        lb.balancer.sync(List.of(tcpService(LbAlgorithm.RANDOM, BACKENDS.toArray(String[]::new))));
        String first = Packets.destination(lb.ingress(Packets.withChecksums(Packets.tcp(CLIENT, 40001, VIP, 80)))
                .packet());

        for (int i = 0; i < 30; i++) {
            byte[] ack = Packets.withChecksums(Packets.tcp(CLIENT, 40001, VIP, 80, Packets.TCP_ACK));
            assertThat(Packets.destination(lb.ingress(ack).packet())).isEqualTo(first);
        }
    }

    @Test
    void randomSpreadsNewFlowsOverEveryBackend() throws Exception {
        lb.balancer.sync(List.of(tcpService(LbAlgorithm.RANDOM, BACKENDS.toArray(String[]::new))));
        Map<String, Integer> chosen = new HashMap<>();

        for (int port = 20000; port < 20300; port++) {
            chosen.merge(Packets.destination(lb.ingress(Packets.tcp(CLIENT, port, VIP, 80)).packet()), 1, Integer::sum);
        }

        assertThat(chosen).containsOnlyKeys(BACKENDS);
        assertThat(chosen.values()).allSatisfy(count -> assertThat(count).isGreaterThan(50));
    }

    @Test
    void maglevPicksTheBackendTheJavaTableNamesForTheFlowHash() throws Exception {
        LbService service = tcpService(LbAlgorithm.MAGLEV, BACKENDS.toArray(String[]::new));
        lb.balancer.sync(List.of(service));
        int[] table = Maglev.table(service.backends());

        for (int port = 30000; port < 30050; port++) {
            int hash = FlowHash.ofFlow(XdpPrefilterTest.ip(CLIENT), XdpPrefilterTest.ip(VIP), port, 80, Packets.TCP);
            String expected = service.backends().get(table[Maglev.slotOf(hash)]).toString();
            assertThat(Packets.destination(lb.ingress(Packets.tcp(CLIENT, port, VIP, 80)).packet()))
                    .as("flow from port %d", port).isEqualTo(expected);
        }
        lb.flushConntrack();
        int hash = FlowHash.ofFlow(XdpPrefilterTest.ip(CLIENT), XdpPrefilterTest.ip(VIP), 30007, 80, Packets.TCP);
        assertThat(Packets.destination(lb.ingress(Packets.tcp(CLIENT, 30007, VIP, 80)).packet()))
                .as("the same flow after a conntrack flush")
                .isEqualTo(service.backends().get(table[Maglev.slotOf(hash)]).toString());
    }

    @Test
    void aRemovedBackendIsNeverChosenAgainAndItsFlowsMove() throws Exception {
        lb.balancer.sync(List.of(tcpService(LbAlgorithm.RANDOM, BACKENDS.toArray(String[]::new))));
        int onRemoved = -1;
        for (int port = 41000; onRemoved < 0; port++) {
            if (Packets.destination(lb.ingress(Packets.tcp(CLIENT, port, VIP, 80)).packet()).equals(BACKENDS.get(2))) {
                onRemoved = port;
            }
        }

        lb.balancer.sync(List.of(tcpService(LbAlgorithm.RANDOM, BACKENDS.get(0), BACKENDS.get(1))));

        byte[] ack = Packets.withChecksums(Packets.tcp(CLIENT, onRemoved, VIP, 80, Packets.TCP_ACK));
        TestRun.Result moved = lb.ingress(ack);
        assertThat(Packets.destination(moved.packet())).isIn(BACKENDS.get(0), BACKENDS.get(1));
        assertThat(Packets.l4ChecksumValid(moved.packet())).isTrue();
        for (int port = 42000; port < 42200; port++) {
            assertThat(Packets.destination(lb.ingress(Packets.tcp(CLIENT, port, VIP, 80)).packet()))
                    .isNotEqualTo(BACKENDS.get(2));
        }
    }

    @Test
    void aFlowWhoseBackendIdNowNamesAnotherBackendChoosesAgain() throws Exception {
        lb.balancer.sync(List.of(tcpService(LbAlgorithm.RANDOM, BACKENDS.get(0), BACKENDS.get(1))));
        int port = portOn(BACKENDS.get(1), 43000);
        int oldId = lb.balancer.entries().get(0).backendIds().get(1);
        LbCtKey forward = new LbCtKey(XdpPrefilterTest.ip(CLIENT), XdpPrefilterTest.ip(VIP), port, 80, Packets.TCP,
                LbCtDirection.FORWARD);
        LbCtValue entry = lb.conntrack.lookup(forward).orElseThrow();
        assertThat(entry.backendAddr()).isEqualTo(XdpPrefilterTest.ip("10.200.0.6"));
        assertThat(entry.backendPort()).isEqualTo(8080);

        // Backend 1 leaves and another service's backend arrives in the same sync: round-robin
        // gives it a fresh id; a reused one (staged by a direct write) must not capture the flow.
        LbService other = service("10.96.0.20", 80, LbProtocol.TCP, LbAlgorithm.RANDOM, "10.200.0.99:9999");
        lb.balancer.sync(List.of(tcpService(LbAlgorithm.RANDOM, BACKENDS.get(0)), other));
        assertThat(lb.balancer.entries().get(1).backendIds()).doesNotContain(oldId);
        lb.backends.put(oldId, new LbBackendValue(XdpPrefilterTest.ip("10.200.0.99"), 9999, Packets.TCP));

        byte[] ack = Packets.withChecksums(Packets.tcp(CLIENT, port, VIP, 80, Packets.TCP_ACK));
        assertThat(Packets.destination(lb.ingress(ack).packet())).isEqualTo(BACKENDS.get(0));
        assertThat(lb.conntrack.lookup(forward).orElseThrow().backendAddr())
                .isEqualTo(XdpPrefilterTest.ip("10.200.0.5"));
    }

    @Test
    void aFlowMeetingABackendDeletedUnderAnOldTableChoosesFromTheCurrentMaster() throws Exception {
        LbService service = tcpService(LbAlgorithm.MAGLEV, BACKENDS.toArray(String[]::new));
        lb.balancer.sync(List.of(service));
        int goneId = lb.balancer.entries().get(0).backendIds().get(2);
        LbServiceKey master = new LbServiceKey(XdpPrefilterTest.ip(VIP), 80, LbServiceKey.MASTER, Packets.TCP);
        LbServiceValue current = lb.services.lookup(master).orElseThrow();
        // A shrink to two backends as a reader holding the old Maglev table sees it.
        lb.services.put(master, LbServiceValue.master(2, current.serviceId(), current.algorithm()));
        lb.services.delete(master.withSlot(3));
        lb.backends.delete(goneId);
        long before = lb.dropped(DropReason.NO_SERVICE_BACKEND);

        for (int port = 44000; port < 44100; port++) {
            TestRun.Result result = lb.ingress(Packets.tcp(CLIENT, port, VIP, 80));
            assertThat(result.retval()).as("flow from port %d", port).isEqualTo(TC_ACT_OK);
            assertThat(Packets.destination(result.packet())).isIn(BACKENDS.get(0), BACKENDS.get(1));
        }
        assertThat(lb.dropped(DropReason.NO_SERVICE_BACKEND)).isEqualTo(before);
    }

    @Test
    void sweepExpiredDeletesBothEntriesOfAFlowPastItsLifetime() throws Exception {
        lb.balancer.sync(List.of(tcpService(LbAlgorithm.RANDOM, BACKENDS.get(0))));
        lb.ingress(Packets.withChecksums(Packets.tcp(CLIENT, 45000, VIP, 80)));
        long now = System.nanoTime();

        assertThat(lb.balancer.sweepExpired(now)).as("a fresh SYN").isZero();
        assertThat(lb.conntrack.keys()).hasSize(2);
        assertThat(lb.balancer.sweepExpired(now + TimeUnit.SECONDS.toNanos(CtLifetime.TCP_SYN.seconds() + 1)))
                .isEqualTo(2);
        assertThat(lb.conntrack.keys()).isEmpty();
    }

    @Test
    void udpServiceIsTranslatedWithItsChecksum() throws Exception {
        lb.balancer.sync(List.of(service(VIP, 53, LbProtocol.UDP, LbAlgorithm.RANDOM, "10.200.0.9:5353")));

        TestRun.Result result = lb.ingress(Packets.withChecksums(Packets.udp(CLIENT, 5000, VIP, 53)));
        TestRun.Result noChecksum = lb.ingress(Packets.udp(CLIENT, 5001, VIP, 53));

        assertThat(result.retval()).isEqualTo(TC_ACT_OK);
        assertThat(Packets.destination(result.packet())).isEqualTo("10.200.0.9:5353");
        assertThat(Packets.ipv4ChecksumValid(result.packet())).isTrue();
        assertThat(Packets.l4ChecksumValid(result.packet())).as("UDP checksum").isTrue();
        assertThat(Packets.destination(noChecksum.packet())).isEqualTo("10.200.0.9:5353");
        assertThat(noChecksum.packet()[14 + 20 + 6]).as("a UDP datagram without checksum keeps none").isZero();
        assertThat(noChecksum.packet()[14 + 20 + 7]).isZero();
    }

    @Test
    void aFrontendWithoutBackendsDropsAndCounts() throws Exception {
        lb.balancer.sync(List.of(tcpService(LbAlgorithm.RANDOM)));
        long before = lb.dropped(DropReason.NO_SERVICE_BACKEND);

        assertThat(lb.ingress(Packets.tcp(CLIENT, 40000, VIP, 80)).retval()).isEqualTo(TC_ACT_SHOT);
        assertThat(lb.dropped(DropReason.NO_SERVICE_BACKEND)).isEqualTo(before + 1);
    }

    @Test
    void everythingButAFrontendPassesUntouched() throws Exception {
        lb.balancer.sync(List.of(tcpService(LbAlgorithm.RANDOM, BACKENDS.get(0))));
        List<byte[]> others = List.of(Packets.tcp(CLIENT, 40000, "10.96.0.11", 80), Packets.tcp(CLIENT, 40000, VIP, 81),
                Packets.udp(CLIENT, 40000, VIP, 80), Packets.icmpEcho(CLIENT, VIP), Packets.arp(), Packets.ipv6());

        for (byte[] frame : others) {
            TestRun.Result result = lb.ingress(frame);
            assertThat(result.retval()).isEqualTo(TC_ACT_OK);
            assertThat(result.packet()).isEqualTo(frame);
        }
    }

    @Test
    void truncatedHeadersAreDroppedAsInvalid() throws Exception {
        lb.balancer.sync(List.of(tcpService(LbAlgorithm.RANDOM, BACKENDS.get(0))));
        long before = lb.dropped(DropReason.INVALID_PACKET);
        byte[] syn = Packets.tcp(CLIENT, 40000, VIP, 80);

        byte[] headerLongerThanThePacket = syn.clone();
        headerLongerThanThePacket[14] = 0x4F; // IHL 15: a 60-byte IPv4 header in a 40-byte packet

        assertThat(lb.ingress(Packets.truncate(syn, 14 + 20 + 10)).retval()).as("TCP header cut off")
                .isEqualTo(TC_ACT_SHOT);
        // (BPF_PROG_TEST_RUN itself refuses an IPv4 frame shorter than an IPv4 header.)
        assertThat(lb.ingress(headerLongerThanThePacket).retval()).as("IPv4 header cut off").isEqualTo(TC_ACT_SHOT);
        assertThat(lb.dropped(DropReason.INVALID_PACKET)).isEqualTo(before + 2);
    }

    @Test
    void laterFragmentsFollowTheirFirstFragmentToTheBackend() throws Exception {
        lb.balancer.sync(List.of(service(VIP, 53, LbProtocol.UDP, LbAlgorithm.RANDOM, "10.200.0.9:5353")));
        byte[] udpHeader = {0x13, (byte) 0x88, 0, 53, 0, 24, 0, 0};
        byte[] first = Packets.withIpv4Checksum(Packets.ipv4(CLIENT, VIP, Packets.UDP, 0x2000,
                concat(udpHeader, new byte[8])));
        byte[] later = Packets.withIpv4Checksum(Packets.ipv4(CLIENT, VIP, Packets.UDP, 0x0002, new byte[8]));

        TestRun.Result firstOut = lb.ingress(first);
        TestRun.Result laterOut = lb.ingress(later);

        assertThat(Packets.destination(firstOut.packet())).isEqualTo("10.200.0.9:5353");
        assertThat(laterOut.retval()).isEqualTo(TC_ACT_OK);
        assertThat(Arrays.copyOfRange(laterOut.packet(), 14 + 16, 14 + 20)).isEqualTo(Packets.addr("10.200.0.9"));
        assertThat(Packets.ipv4ChecksumValid(laterOut.packet())).isTrue();
        assertThat(Arrays.copyOfRange(laterOut.packet(), 14 + 20, laterOut.packet().length))
                .as("a later fragment's payload is not an L4 header: untouched").isEqualTo(new byte[8]);
    }

    /** A client port whose new flow lb_ingress sent to backend. */
    private int portOn(String backend, int from) throws Exception {
        for (int port = from; port < from + 1000; port++) {
            if (Packets.destination(lb.ingress(Packets.withChecksums(Packets.tcp(CLIENT, port, VIP, 80))).packet())
                    .equals(backend)) {
                return port;
            }
        }
        throw new AssertionError("no flow of 1000 went to " + backend);
    }

    private static LbService tcpService(LbAlgorithm algorithm, String... backends) throws Exception {
        return service(VIP, 80, LbProtocol.TCP, algorithm, backends);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
