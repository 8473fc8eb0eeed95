package io.portcullis.bpf;

import static io.portcullis.bpf.XdpPrefilterTest.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.bpf.maps.CtKey;
import io.portcullis.bpf.maps.CtLifetime;
import io.portcullis.bpf.maps.CtValue;
import io.portcullis.bpf.maps.DropCounter;
import io.portcullis.bpf.maps.DropReason;
import io.portcullis.bpf.maps.IpcacheKey;
import io.portcullis.bpf.maps.IpcacheValue;
import io.portcullis.bpf.maps.MapNames;
import io.portcullis.bpf.maps.PolicyKey;
import io.portcullis.bpf.maps.PolicyValue;
import io.portcullis.bpf.maps.ProxyMark;
import io.portcullis.bpf.maps.StructCodec;
import io.portcullis.bpf.maps.TrafficDirection;
import io.portcullis.bpf.sidecar.CtGc;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * bpf_lxc conntrack through BPF_PROG_TEST_RUN. Frontend 10.1.0.1 (identity 1000) and backend
 * 10.1.0.2 (1001) are local endpoints; each packet is run through the program of the side it
 * crosses: {@code egress} = the sender's host veth, {@code ingress} = the receiver's.
 */
class LxcConntrackTest {
    private static final int TC_ACT_OK = 0;
    private static final int TC_ACT_SHOT = 2;
    private static final int FRONTEND = 1000;
    private static final int BACKEND = 1001;
    private static final String A = "10.1.0.1";
    private static final String B = "10.1.0.2";

    private TestPins pins;
    private BpfObject object;
    private BpfProgram fromEndpoint;
    private BpfProgram toEndpoint;
    private BpfMap<PolicyKey, PolicyValue> policy;
    private BpfMap<CtKey, CtValue> conntrack;
    private BpfMap<Integer, DropCounter> drops;

    @BeforeEach
    void load() throws Exception {
        Privileged.requireBpf("loads bpf_lxc.o");
        pins = new TestPins();
        object = DatapathObject.LXC.open(pins.dir()).load();
        fromEndpoint = object.program("lxc_from_endpoint");
        toEndpoint = object.program("lxc_to_endpoint");
        policy = object.map(MapNames.POLICY, PolicyKey.CODEC, PolicyValue.CODEC);
        conntrack = object.map(MapNames.CONNTRACK, CtKey.CODEC, CtValue.CODEC);
        drops = object.map(MapNames.DROPS, StructCodec.U32, DropCounter.CODEC);
        BpfMap<IpcacheKey, IpcacheValue> ipcache = object.map(MapNames.IPCACHE, IpcacheKey.CODEC, IpcacheValue.CODEC);
        ipcache.put(new IpcacheKey(32, ip(A)), IpcacheValue.localEndpoint(FRONTEND));
        ipcache.put(new IpcacheKey(32, ip(B)), IpcacheValue.localEndpoint(BACKEND));
    }

    @AfterEach
    void unload() throws Exception {
        if (object != null) {
            object.close();
        }
        if (pins != null) {
            pins.close();
        }
    }

    private void allowFrontendToBackend(int port) {
        policy.put(PolicyKey.port(FRONTEND, BACKEND, TrafficDirection.EGRESS, Packets.TCP, port), PolicyValue.allow(1));
        policy.put(PolicyKey.port(BACKEND, FRONTEND, TrafficDirection.INGRESS, Packets.TCP, port), PolicyValue.allow(2));
    }

    /** A packet from the frontend to the backend crosses both veths: both must pass it. */
    private int frontendToBackend(byte[] frame) {
        int out = egress(frame);
        return out == TC_ACT_OK ? ingress(frame) : out;
    }

    private int backendToFrontend(byte[] frame) {
        int out = egress(frame);
        return out == TC_ACT_OK ? ingress(frame) : out;
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

        CtValue opened = conntrack.lookup(new CtKey(addr(A), addr(B), 40000, 80, Packets.TCP, TrafficDirection.EGRESS))
                .orElseThrow();
        assertThat(opened.packets()).isEqualTo(4);
        assertThat(opened.srcIdentity()).isEqualTo(FRONTEND);
        assertThat(opened.flags() & CtValue.FLAG_SEEN_NON_SYN).isNotZero();
        assertThat(conntrack.lookup(new CtKey(addr(A), addr(B), 40000, 80, Packets.TCP, TrafficDirection.INGRESS)))
                .as("the backend's side tracks the flow too").get().extracting(CtValue::srcIdentity).isEqualTo(FRONTEND);
    }

    /** As Cilium: only replies skip policy, so removing an allow stops an established flow at once. */
    @Test
    void establishedFlowsAreJudgedAgainOnEveryPacketOfTheOpeningDirection() {
        allowFrontendToBackend(80);
        assertThat(frontendToBackend(Packets.tcp(A, 40000, B, 80))).isEqualTo(TC_ACT_OK);
        assertThat(backendToFrontend(Packets.tcp(B, 80, A, 40000, Packets.TCP_SYN | Packets.TCP_ACK))).isEqualTo(TC_ACT_OK);
        long deniedBefore = dropped(DropReason.POLICY_DENIED);

        policy.delete(PolicyKey.port(BACKEND, FRONTEND, TrafficDirection.INGRESS, Packets.TCP, 80));

        assertThat(frontendToBackend(Packets.tcp(A, 40000, B, 80, Packets.TCP_ACK))).isEqualTo(TC_ACT_SHOT);
        assertThat(dropped(DropReason.POLICY_DENIED) - deniedBefore).isEqualTo(1);
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
        assertThat(conntrack.lookup(key).orElseThrow().flags() & CtValue.FLAG_TX_CLOSING).isNotZero();
        assertThat(lifetime(key)).as("half closed").isEqualTo(CtLifetime.TCP);
        backendToFrontend(Packets.tcp(B, 80, A, 40000, Packets.TCP_FIN | Packets.TCP_ACK));
        assertThat(lifetime(key)).isEqualTo(CtLifetime.TCP_CLOSING);

        frontendToBackend(Packets.tcp(A, 40000, B, 80));
        assertThat(conntrack.lookup(key).orElseThrow().flags()).as("a new SYN starts a new connection").isZero();
        assertThat(conntrack.lookup(key).orElseThrow().packets()).isEqualTo(1);

        backendToFrontend(Packets.tcp(B, 80, A, 40000, Packets.TCP_RST | Packets.TCP_ACK));
        assertThat(lifetime(key)).isEqualTo(CtLifetime.TCP_CLOSING);
    }

    @Test
    void expiredEntriesAreIgnoredByTheProgramsAndSweptByTheAgent() throws Exception {
        CtKey stale = new CtKey(addr(A), ip("192.0.2.53"), 5353, 53, Packets.UDP, TrafficDirection.EGRESS);
        CtKey fresh = new CtKey(addr(A), ip("192.0.2.53"), 5354, 53, Packets.UDP, TrafficDirection.EGRESS);
        long now = System.nanoTime();
        long lifetime = TimeUnit.SECONDS.toNanos(CtLifetime.NON_TCP.seconds());
        conntrack.put(stale, new CtValue(now - lifetime - 1_000_000_000L, 1, 60, FRONTEND, 0, 0));
        conntrack.put(fresh, new CtValue(now, 1, 60, FRONTEND, 0, 0));

        assertThat(ingress(Packets.udp("192.0.2.53", 53, A, 5353))).as("reply of an expired flow").isEqualTo(TC_ACT_SHOT);
        assertThat(ingress(Packets.udp("192.0.2.53", 53, A, 5354))).as("reply of a live flow").isEqualTo(TC_ACT_OK);

        assertThat(CtGc.sweep(conntrack, System.nanoTime())).isEqualTo(1);
        assertThat(conntrack.lookup(stale)).isEmpty();
        assertThat(conntrack.lookup(fresh)).isPresent();
    }

    @Test
    void proxyTrafficIsJudgedAsTheIdentityInItsMark() {
        policy.put(PolicyKey.port(BACKEND, FRONTEND, TrafficDirection.INGRESS, Packets.TCP, 9092),
                PolicyValue.proxy(15001, 9));
        byte[] fromProxy = Packets.tcp("10.1.0.254", 50000, B, 9092);
        long proxyRequired = dropped(DropReason.PROXY_REQUIRED);
        long denied = dropped(DropReason.POLICY_DENIED);

        assertThat(ingress(Packets.tcp(A, 50000, B, 9092))).as("straight from the frontend").isEqualTo(TC_ACT_SHOT);
        assertThat(ingressMarked(fromProxy, ProxyMark.of(4242))).as("on behalf of another identity").isEqualTo(TC_ACT_SHOT);
        assertThat(ingressMarked(fromProxy, ProxyMark.of(FRONTEND))).isEqualTo(TC_ACT_OK);
        assertThat(dropped(DropReason.PROXY_REQUIRED) - proxyRequired).isEqualTo(1);
        assertThat(dropped(DropReason.POLICY_DENIED) - denied).isEqualTo(1);

        CtValue tracked = conntrack.lookup(new CtKey(addr("10.1.0.254"), addr(B), 50000, 9092, Packets.TCP,
                TrafficDirection.INGRESS)).orElseThrow();
        assertThat(tracked.srcIdentity()).isEqualTo(FRONTEND);
        assertThat(tracked.flags() & CtValue.FLAG_PROXY).isNotZero();
        assertThat(tracked.proxyPort()).isEqualTo(15001);
        assertThat(egress(Packets.tcp(B, 9092, "10.1.0.254", 50000, Packets.TCP_SYN | Packets.TCP_ACK)))
                .as("the backend answers the proxy").isEqualTo(TC_ACT_OK);
    }

    @Test
    void laterFragmentsAreJudgedWithThePortsOfTheirFirstFragment() {
        policy.put(PolicyKey.port(FRONTEND, PolicyKey.ANY_REMOTE, TrafficDirection.EGRESS, Packets.UDP, 53),
                PolicyValue.allow(3));
        byte[] udp53 = {(byte) 0x9c, 0x40, 0, 53, 0, 40, 0, 0};
        byte[] udp54 = {(byte) 0x9c, 0x40, 0, 54, 0, 40, 0, 0};
        long fragmentDrops = dropped(DropReason.FRAGMENT);
        long denied = dropped(DropReason.POLICY_DENIED);

        assertThat(egress(Packets.ipv4(A, "192.0.2.53", Packets.UDP, 0x2000, udp53))).isEqualTo(TC_ACT_OK);
        assertThat(egress(Packets.ipv4(A, "192.0.2.53", Packets.UDP, 0x0001, new byte[16]))).isEqualTo(TC_ACT_OK);
        assertThat(egress(Packets.ipv4(A, "192.0.2.54", Packets.UDP, 0x0001, new byte[16])))
                .as("no first fragment seen for this datagram").isEqualTo(TC_ACT_SHOT);
        assertThat(egress(Packets.ipv4(A, "192.0.2.55", Packets.UDP, 0x2000, udp54))).isEqualTo(TC_ACT_SHOT);
        assertThat(egress(Packets.ipv4(A, "192.0.2.55", Packets.UDP, 0x0001, new byte[16])))
                .as("the rest of a denied datagram").isEqualTo(TC_ACT_SHOT);

        assertThat(dropped(DropReason.FRAGMENT) - fragmentDrops).isEqualTo(1);
        assertThat(dropped(DropReason.POLICY_DENIED) - denied).isEqualTo(2);
    }

    /**
     * A full table evicts its least recently used entries: new flows are still tracked and their
     * replies pass; what is lost is the idle flows'. Prints the figures.
     */
    @Test
    void aFullTableEvictsTheLeastRecentlyUsedFlows() throws Exception {
        policy.put(PolicyKey.anyProtocol(FRONTEND, PolicyKey.ANY_REMOTE, TrafficDirection.EGRESS), PolicyValue.allow(4));
        int capacity = conntrack.info().maxEntries();
        long now = System.nanoTime();
        long start = System.nanoTime();
        for (int i = 0; i < capacity; i++) {
            conntrack.put(new CtKey(addr(A), intToIp(0xC6120000 + (i >>> 16)), 1024 + (i & 0x7FFF), 80 + (i >>> 15 & 1),
                    Packets.TCP, TrafficDirection.EGRESS), new CtValue(now, 1, 60, FRONTEND, CtValue.FLAG_SEEN_NON_SYN, 0));
        }
        double fillSeconds = (System.nanoTime() - start) / 1e9;
        int held = conntrack.keys().size();

        int newFlows = 1000;
        for (int i = 0; i < newFlows; i++) {
            assertThat(egress(Packets.udp(A, 20000 + i, "203.0.113.7", 53))).isEqualTo(TC_ACT_OK);
        }
        int repliesPassing = 0;
        for (int i = 0; i < newFlows; i++) {
            if (ingress(Packets.udp("203.0.113.7", 53, A, 20000 + i)) == TC_ACT_OK) {
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
        return CtLifetime.of(key.protocol(), conntrack.lookup(key).orElseThrow().flags());
    }

    private int egress(byte[] frame) {
        return fromEndpoint.testRun(TestRun.of(frame)).retval();
    }

    private int ingress(byte[] frame) {
        return toEndpoint.testRun(TestRun.of(frame)).retval();
    }

    private int ingressMarked(byte[] frame, int mark) {
        byte[] skb = ByteBuffer.allocate(12).order(ByteOrder.nativeOrder()).putInt(0).putInt(0).putInt(mark).array();
        return toEndpoint.testRun(TestRun.of(frame).context(skb)).retval();
    }

    private long dropped(DropReason reason) {
        return DropCounter.sum(drops.lookupPerCpu(reason.code()).orElseThrow()).packets();
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
