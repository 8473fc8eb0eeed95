package io.portcullis.bpf;

import static io.portcullis.bpf.LbUnderTest.CLIENT;
import static io.portcullis.bpf.LbUnderTest.TC_ACT_OK;
import static io.portcullis.bpf.LbUnderTest.service;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.bpf.lb.LbAlgorithm;
import io.portcullis.bpf.lb.LbProtocol;
import io.portcullis.bpf.maps.CtValue;
import io.portcullis.bpf.maps.LbCtDirection;
import io.portcullis.bpf.maps.LbCtKey;
import io.portcullis.bpf.maps.LbCtValue;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** lb_egress through BPF_PROG_TEST_RUN: replies of tracked flows leave as the VIP, nothing else changes. */
class LbEgressTest {
    private static final String VIP = "10.96.0.10";
    private static final String BACKEND = "10.200.0.5";

    @RegisterExtension
    final LbUnderTest lb = new LbUnderTest("loads bpf_lb.o");

    @BeforeEach
    void load() throws Exception {
        lb.balancer.sync(List.of(service(VIP, 80, LbProtocol.TCP, LbAlgorithm.RANDOM, BACKEND + ":8080"),
                service(VIP, 53, LbProtocol.UDP, LbAlgorithm.RANDOM, BACKEND + ":5353")));
    }

    @Test
    void aReplyFromTheBackendLeavesAsTheVipWithValidChecksums() {
        lb.ingress(Packets.withChecksums(Packets.tcp(CLIENT, 40000, VIP, 80)));
        byte[] synAck = Packets.withChecksums(Packets.tcp(BACKEND, 8080, CLIENT, 40000, Packets.TCP_SYN | Packets.TCP_ACK));

        TestRun.Result result = lb.egress(synAck);

        assertThat(result.retval()).isEqualTo(TC_ACT_OK);
        assertThat(Packets.source(result.packet())).isEqualTo(VIP + ":80");
        assertThat(Packets.destination(result.packet())).isEqualTo(CLIENT + ":40000");
        assertThat(Packets.ipv4ChecksumValid(result.packet())).as("IPv4 header checksum").isTrue();
        assertThat(Packets.l4ChecksumValid(result.packet())).as("TCP checksum").isTrue();
    }

    @Test
    void aUdpReplyLeavesAsTheVip() {
        lb.ingress(Packets.withChecksums(Packets.udp(CLIENT, 5000, VIP, 53)));

        TestRun.Result result = lb.egress(Packets.withChecksums(Packets.udp(BACKEND, 5353, CLIENT, 5000)));

        assertThat(Packets.source(result.packet())).isEqualTo(VIP + ":53");
        assertThat(Packets.l4ChecksumValid(result.packet())).as("UDP checksum").isTrue();
    }

    @Test
    void aReplyRewritesTheForwardEntryOnlyForANewStateOrWhenASecondOld() throws Exception {
        lb.ingress(Packets.withChecksums(Packets.tcp(CLIENT, 40002, VIP, 80)));
        LbCtKey forward = new LbCtKey(XdpPrefilterTest.ip(CLIENT), XdpPrefilterTest.ip(VIP), 40002, 80, Packets.TCP,
                LbCtDirection.FORWARD);
        byte[] ack = Packets.withChecksums(Packets.tcp(BACKEND, 8080, CLIENT, 40002, Packets.TCP_ACK));

        lb.egress(Packets.withChecksums(Packets.tcp(BACKEND, 8080, CLIENT, 40002, Packets.TCP_SYN | Packets.TCP_ACK)));
        assertThat(lb.conntrack.lookup(forward).orElseThrow().flags() & CtValue.FLAG_SEEN_NON_SYN)
                .as("the handshake's new state reaches the forward entry").isNotZero();

        long recent = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(500);
        lb.conntrack.put(forward, seenAt(lb.conntrack.lookup(forward).orElseThrow(), recent));
        lb.egress(ack);
        assertThat(lb.conntrack.lookup(forward).orElseThrow().lastSeenNs()).as("fresh enough: not rewritten")
                .isEqualTo(recent);

        long stale = System.nanoTime() - TimeUnit.SECONDS.toNanos(2);
        lb.conntrack.put(forward, seenAt(lb.conntrack.lookup(forward).orElseThrow(), stale));
        lb.egress(ack);
        assertThat(lb.conntrack.lookup(forward).orElseThrow().lastSeenNs()).as("refreshed")
                .isGreaterThan(stale + TimeUnit.SECONDS.toNanos(1));
    }

    private static LbCtValue seenAt(LbCtValue value, long lastSeenNs) {
        return new LbCtValue(lastSeenNs, value.backendId(), value.serviceId(), value.flags(), value.vip(),
                value.vport(), value.backendAddr(), value.backendPort());
    }

    @Test
    void untrackedTrafficLeavesUntouched() {
        lb.ingress(Packets.withChecksums(Packets.tcp(CLIENT, 40000, VIP, 80)));
        List<byte[]> others = List.of(Packets.tcp(BACKEND, 8080, CLIENT, 40001, Packets.TCP_ACK),
                Packets.tcp(BACKEND, 8081, CLIENT, 40000, Packets.TCP_ACK), Packets.tcp("10.200.0.99", 8080, CLIENT, 40000),
                Packets.icmpEcho(BACKEND, CLIENT), Packets.arp(), Packets.ipv6(), Packets.truncate(Packets.tcp(BACKEND,
                        8080, CLIENT, 40000), 14 + 20 + 4));

        for (byte[] frame : others) {
            TestRun.Result result = lb.egress(frame);
            assertThat(result.retval()).isEqualTo(TC_ACT_OK);
            assertThat(result.packet()).isEqualTo(frame);
        }
    }
}
