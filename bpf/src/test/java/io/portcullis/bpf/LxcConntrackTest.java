package io.portcullis.bpf;

import static io.portcullis.bpf.LxcUnderTest.BACKEND;
import static io.portcullis.bpf.LxcUnderTest.FRONTEND;
import static io.portcullis.bpf.LxcUnderTest.TC_ACT_OK;
import static io.portcullis.bpf.LxcUnderTest.TC_ACT_SHOT;
import static io.portcullis.bpf.XdpPrefilterTest.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.bpf.maps.CtKey;
import io.portcullis.bpf.maps.CtLifetime;
import io.portcullis.bpf.maps.CtValue;
import io.portcullis.bpf.maps.DropReason;
import io.portcullis.bpf.maps.PolicyKey;
import io.portcullis.bpf.maps.PolicyValue;
import io.portcullis.bpf.maps.ProxyMark;
import io.portcullis.bpf.maps.TrafficDirection;
import io.portcullis.bpf.sidecar.CtGc;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * bpf_lxc conntrack through BPF_PROG_TEST_RUN. Frontend 10.1.0.1 (identity 1000) and backend
 * 10.1.0.2 (1001) are local endpoints; each packet is run through the program of the side it
 * crosses: {@code egress} = the sender's host veth, {@code ingress} = the receiver's.
 */
class LxcConntrackTest {
    private static final String A = LxcUnderTest.FRONTEND_IP;
    private static final String B = LxcUnderTest.BACKEND_IP;

    @RegisterExtension
    final LxcUnderTest lxc = new LxcUnderTest("loads bpf_lxc.o");

    private void allowFrontendToBackend(int port) {
        lxc.policy.put(PolicyKey.port(FRONTEND, BACKEND, TrafficDirection.EGRESS, Packets.TCP, port), PolicyValue.allow(1));
        lxc.policy.put(PolicyKey.port(BACKEND, FRONTEND, TrafficDirection.INGRESS, Packets.TCP, port), PolicyValue.allow(2));
    }

    /** A packet from the frontend to the backend crosses both veths: both must pass it. */
    private int frontendToBackend(byte[] frame) {
        int out = lxc.egress(frame);
        return out == TC_ACT_OK ? lxc.ingress(frame) : out;
    }

    private int backendToFrontend(byte[] frame) {
        int out = lxc.egress(frame);
        return out == TC_ACT_OK ? lxc.ingress(frame) : out;
    }

    @Test
    void repliesOfAnAllowedFlowPassWithoutAPolicyOfTheirOwn() {
        allowFrontendToBackend(80);
        byte[] synAck = Packets.tcp(B, 80, A, 40000, Packets.TCP_SYN | Packets.TCP_ACK);
        assertThat(backendToFrontend(synAck)).as("no flow yet: the backend may not send to the frontend").isEqualTo(TC_ACT_SHOT);

        assertThat(frontendToBackend(Packets.tcp(A, 40000, B, 80))).isEqualTo(TC_ACT_OK);
        assertThat(backendToFrontend(synAck)).isEqualTo(TC_ACT_OK);
        assertThat(frontendToBackend(Packets.tcp(A, 40000, B, 80, Packets.TCP_ACK))).isEqualTo(TC_ACT_OK);
        assertThat(backendToFrontend(Packets.tcp(B, 80, A, 40000, Packets.TCP_ACK))).isEqualTo(TC_ACT_OK);

        assertThat(backendToFrontend(Packets.tcp(B, 80, A, 40001, Packets.TCP_ACK))).as("another port pair is no reply")
                .isEqualTo(TC_ACT_SHOT);
        assertThat(backendToFrontend(Packets.tcp(B, 40000, A, 80))).as("a new flow the other way is judged")
                .isEqualTo(TC_ACT_SHOT);

        CtValue opened = lxc.conntrack.lookup(new CtKey(addr(A), addr(B), 40000, 80, Packets.TCP, TrafficDirection.EGRESS))
                .orElseThrow();
        assertThat(opened.packets()).isEqualTo(4);
        assertThat(opened.srcIdentity()).isEqualTo(FRONTEND);
        assertThat(opened.flags() & CtValue.FLAG_SEEN_NON_SYN).isNotZero();
        assertThat(lxc.conntrack.lookup(new CtKey(addr(A), addr(B), 40000, 80, Packets.TCP, TrafficDirection.INGRESS)))
                .as("the backend's side tracks the flow too").get().extracting(CtValue::srcIdentity).isEqualTo(FRONTEND);
    }

    /** As Cilium: only replies skip policy, so removing an allow stops an established flow at once. */
    @Test
    void establishedFlowsAreJudgedAgainOnEveryPacketOfTheOpeningDirection() {
        allowFrontendToBackend(80);
        assertThat(frontendToBackend(Packets.tcp(A, 40000, B, 80))).isEqualTo(TC_ACT_OK);
        assertThat(backendToFrontend(Packets.tcp(B, 80, A, 40000, Packets.TCP_SYN | Packets.TCP_ACK))).isEqualTo(TC_ACT_OK);
        long deniedBefore = lxc.dropped(DropReason.POLICY_DENIED);

        lxc.policy.delete(PolicyKey.port(BACKEND, FRONTEND, TrafficDirection.INGRESS, Packets.TCP, 80));

        assertThat(frontendToBackend(Packets.tcp(A, 40000, B, 80, Packets.TCP_ACK))).isEqualTo(TC_ACT_SHOT);
        assertThat(lxc.dropped(DropReason.POLICY_DENIED) - deniedBefore).isEqualTo(1);
        assertThat(backendToFrontend(Packets.tcp(B, 80, A, 40000, Packets.TCP_ACK)))
                .as("replies still pass until the entry expires").isEqualTo(TC_ACT_OK);
    }

    @Test
    void finBothWaysOrRstShortensTheLifetimeAndANewSynReopens() {
        allowFrontendToBackend(80);
        CtKey key = new CtKey(addr(A), addr(B), 40000, 80, Packets.TCP, TrafficDirection.EGRESS);
        frontendToBackend(Packets.tcp(A, 40000, B, 80));
        assertThat(lifetime(key)).isEqualTo(CtLifetime.TCP_SYN);
        backendToFrontend(Packets.tcp(B, 80, A, 40000, Packets.TCP_SYN | Packets.TCP_ACK));
        assertThat(lifetime(key)).isEqualTo(CtLifetime.TCP);

        frontendToBackend(Packets.tcp(A, 40000, B, 80, Packets.TCP_FIN | Packets.TCP_ACK));
        assertThat(lxc.conntrack.lookup(key).orElseThrow().flags() & CtValue.FLAG_TX_CLOSING).isNotZero();
        assertThat(lifetime(key)).as("half closed").isEqualTo(CtLifetime.TCP);
        backendToFrontend(Packets.tcp(B, 80, A, 40000, Packets.TCP_FIN | Packets.TCP_ACK));
        assertThat(lifetime(key)).isEqualTo(CtLifetime.TCP_CLOSING);

        frontendToBackend(Packets.tcp(A, 40000, B, 80));
        assertThat(lxc.conntrack.lookup(key).orElseThrow().flags()).as("a new SYN starts a new connection").isZero();
        assertThat(lxc.conntrack.lookup(key).orElseThrow().packets()).isEqualTo(1);

        backendToFrontend(Packets.tcp(B, 80, A, 40000, Packets.TCP_RST | Packets.TCP_ACK));
        assertThat(lifetime(key)).isEqualTo(CtLifetime.TCP_CLOSING);
    }

    @Test
    void expiredEntriesAreIgnoredByTheProgramsAndSweptByTheAgent() throws Exception {
        CtKey stale = new CtKey(addr(A), ip("192.0.2.53"), 5353, 53, Packets.UDP, TrafficDirection.EGRESS);
        CtKey fresh = new CtKey(addr(A), ip("192.0.2.53"), 5354, 53, Packets.UDP, TrafficDirection.EGRESS);
        long now = System.nanoTime();
        long lifetime = TimeUnit.SECONDS.toNanos(CtLifetime.NON_TCP.seconds());
        lxc.conntrack.put(stale, new CtValue(now - lifetime - 1_000_000_000L, 1, 60, FRONTEND, 0, 0));
        lxc.conntrack.put(fresh, new CtValue(now, 1, 60, FRONTEND, 0, 0));

        assertThat(lxc.ingress(Packets.udp("192.0.2.53", 53, A, 5353))).as("reply of an expired flow").isEqualTo(TC_ACT_SHOT);
        assertThat(lxc.ingress(Packets.udp("192.0.2.53", 53, A, 5354))).as("reply of a live flow").isEqualTo(TC_ACT_OK);

        assertThat(CtGc.sweep(lxc.conntrack, System.nanoTime())).isEqualTo(1);
        assertThat(lxc.conntrack.lookup(stale)).isEmpty();
        assertThat(lxc.conntrack.lookup(fresh)).isPresent();
    }

    @Test
    void proxyTrafficIsJudgedAsTheIdentityInItsMark() {
        lxc.policy.put(PolicyKey.port(BACKEND, FRONTEND, TrafficDirection.INGRESS, Packets.TCP, 9092),
                PolicyValue.proxy(15001, 9));
        byte[] fromProxy = Packets.tcp("10.1.0.254", 50000, B, 9092);
        long proxyRequired = lxc.dropped(DropReason.PROXY_REQUIRED);
        long denied = lxc.dropped(DropReason.POLICY_DENIED);

        assertThat(lxc.ingress(Packets.tcp(A, 50000, B, 9092))).as("straight from the frontend").isEqualTo(TC_ACT_SHOT);
        assertThat(lxc.ingressMarked(fromProxy, ProxyMark.of(4242))).as("on behalf of another identity").isEqualTo(TC_ACT_SHOT);
        assertThat(lxc.ingressMarked(fromProxy, ProxyMark.of(FRONTEND))).isEqualTo(TC_ACT_OK);
        assertThat(lxc.dropped(DropReason.PROXY_REQUIRED) - proxyRequired).isEqualTo(1);
        assertThat(lxc.dropped(DropReason.POLICY_DENIED) - denied).isEqualTo(1);

        CtValue tracked = lxc.conntrack.lookup(new CtKey(addr("10.1.0.254"), addr(B), 50000, 9092, Packets.TCP,
                TrafficDirection.INGRESS)).orElseThrow();
        assertThat(tracked.srcIdentity()).isEqualTo(FRONTEND);
        assertThat(tracked.flags() & CtValue.FLAG_PROXY).isNotZero();
        assertThat(tracked.proxyPort()).isEqualTo(15001);
        assertThat(lxc.egress(Packets.tcp(B, 9092, "10.1.0.254", 50000, Packets.TCP_SYN | Packets.TCP_ACK)))
                .as("the backend answers the proxy").isEqualTo(TC_ACT_OK);
    }

    @Test
    void laterFragmentsAreJudgedWithThePortsOfTheirFirstFragment() {
        lxc.policy.put(PolicyKey.port(FRONTEND, PolicyKey.ANY_REMOTE, TrafficDirection.EGRESS, Packets.UDP, 53),
                PolicyValue.allow(3));
        byte[] udp53 = {(byte) 0x9c, 0x40, 0, 53, 0, 40, 0, 0};
        byte[] udp54 = {(byte) 0x9c, 0x40, 0, 54, 0, 40, 0, 0};
        long fragmentDrops = lxc.dropped(DropReason.FRAGMENT);
        long denied = lxc.dropped(DropReason.POLICY_DENIED);

        assertThat(lxc.egress(Packets.ipv4(A, "192.0.2.53", Packets.UDP, 0x2000, udp53))).isEqualTo(TC_ACT_OK);
        assertThat(lxc.egress(Packets.ipv4(A, "192.0.2.53", Packets.UDP, 0x0001, new byte[16]))).isEqualTo(TC_ACT_OK);
        assertThat(lxc.egress(Packets.ipv4(A, "192.0.2.54", Packets.UDP, 0x0001, new byte[16])))
                .as("no first fragment seen for this datagram").isEqualTo(TC_ACT_SHOT);
        assertThat(lxc.egress(Packets.ipv4(A, "192.0.2.55", Packets.UDP, 0x2000, udp54))).isEqualTo(TC_ACT_SHOT);
        assertThat(lxc.egress(Packets.ipv4(A, "192.0.2.55", Packets.UDP, 0x0001, new byte[16])))
                .as("the rest of a denied datagram").isEqualTo(TC_ACT_SHOT);

        assertThat(lxc.dropped(DropReason.FRAGMENT) - fragmentDrops).isEqualTo(1);
        assertThat(lxc.dropped(DropReason.POLICY_DENIED) - denied).isEqualTo(2);
    }

    /**
     * A full table evicts its least recently used entries: new flows are still tracked and their
     * replies pass; what is lost is the idle flows'. Prints the figures.
     */
    @Test
    void aFullTableEvictsTheLeastRecentlyUsedFlows() throws Exception {
        lxc.policy.put(PolicyKey.anyProtocol(FRONTEND, PolicyKey.ANY_REMOTE, TrafficDirection.EGRESS), PolicyValue.allow(4));
        int capacity = lxc.conntrack.info().maxEntries();
        long now = System.nanoTime();
        long start = System.nanoTime();
        for (int i = 0; i < capacity; i++) {
            lxc.conntrack.put(new CtKey(addr(A), intToIp(0xC6120000 + (i >>> 16)), 1024 + (i & 0x7FFF), 80 + (i >>> 15 & 1),
                    Packets.TCP, TrafficDirection.EGRESS), new CtValue(now, 1, 60, FRONTEND, CtValue.FLAG_SEEN_NON_SYN, 0));
        }
        double fillSeconds = (System.nanoTime() - start) / 1e9;
        int held = lxc.conntrack.keys().size();

        int newFlows = 1000;
        for (int i = 0; i < newFlows; i++) {
            assertThat(lxc.egress(Packets.udp(A, 20000 + i, "203.0.113.7", 53))).isEqualTo(TC_ACT_OK);
        }
        int repliesPassing = 0;
        for (int i = 0; i < newFlows; i++) {
            if (lxc.ingress(Packets.udp("203.0.113.7", 53, A, 20000 + i)) == TC_ACT_OK) {
                repliesPassing++;
            }
        }
        System.out.printf("conntrack: capacity %,d entries; filled from user space in %.2f s, %,d held when full;"
                + " %d new flows created on the full table, replies of %d of them pass%n",
                capacity, fillSeconds, held, newFlows, repliesPassing);
        assertThat(held).isGreaterThan(capacity * 9 / 10);
        assertThat(repliesPassing).isEqualTo(newFlows);
    }

    private CtLifetime lifetime(CtKey key) {
        return CtLifetime.of(key.protocol(), lxc.conntrack.lookup(key).orElseThrow().flags());
    }

    private static java.net.Inet4Address addr(String dotted) {
        try {
            return ip(dotted);
        } catch (Exception e) {
            throw new IllegalArgumentException(dotted, e);
        }
    }

    private static java.net.Inet4Address intToIp(int bits) throws Exception {
        return (java.net.Inet4Address) java.net.InetAddress.getByAddress(
                new byte[] {(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits});
    }
}
