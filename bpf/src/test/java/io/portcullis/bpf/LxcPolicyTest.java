package io.portcullis.bpf;

import static io.portcullis.bpf.LxcUnderTest.BACKEND;
import static io.portcullis.bpf.LxcUnderTest.FRONTEND;
import static io.portcullis.bpf.LxcUnderTest.TC_ACT_OK;
import static io.portcullis.bpf.LxcUnderTest.TC_ACT_SHOT;
import static io.portcullis.bpf.XdpPrefilterTest.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.bpf.maps.DropReason;
import io.portcullis.bpf.maps.IpcacheValue;
import io.portcullis.bpf.maps.Ipv4PrefixKey;
import io.portcullis.bpf.maps.PolicyKey;
import io.portcullis.bpf.maps.PolicyValue;
import io.portcullis.bpf.maps.TrafficCounters;
import io.portcullis.bpf.maps.TrafficDirection;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * bpf_lxc.o through BPF_PROG_TEST_RUN. Endpoints: frontend 10.1.0.1 (identity 1000) and backend
 * 10.1.0.2 (1001) on this node, a CIDR identity for 192.0.2.0/24; everything else is world.
 */
class LxcPolicyTest {
    private static final int CIDR_192_0_2 = 16_777_217;
    private static final int WORLD = 2;
    private static final int PROXY_MARK = 0x0A00;

    @RegisterExtension
    final LxcUnderTest lxc = new LxcUnderTest("loads bpf_lxc.o");

    @BeforeEach
    void load() throws Exception {
        lxc.ipcache.put(new Ipv4PrefixKey(24, ip("192.0.2.0")), IpcacheValue.remote(CIDR_192_0_2));
    }

    @Test
    void allowedPortPassesAndOtherPortsAreDeniedAndCounted() {
        lxc.policy.put(PolicyKey.port(FRONTEND, BACKEND, TrafficDirection.EGRESS, Packets.TCP, 80), PolicyValue.allow(1));
        long deniedBefore = lxc.dropped(DropReason.POLICY_DENIED);

        assertThat(lxc.egress(Packets.tcp("10.1.0.1", 40000, "10.1.0.2", 80))).isEqualTo(TC_ACT_OK);
        assertThat(lxc.egress(Packets.tcp("10.1.0.1", 40000, "10.1.0.2", 81))).isEqualTo(TC_ACT_SHOT);
        assertThat(lxc.egress(Packets.udp("10.1.0.1", 40000, "10.1.0.2", 80))).isEqualTo(TC_ACT_SHOT);
        assertThat(lxc.ingress(Packets.tcp("10.1.0.1", 40000, "10.1.0.2", 80)))
                .as("the backend's ingress has no rule yet").isEqualTo(TC_ACT_SHOT);

        assertThat(lxc.dropped(DropReason.POLICY_DENIED) - deniedBefore).isEqualTo(3);
    }

    @Test
    void forwardedAndDroppedPacketsAreCountedInTheirDirection() {
        lxc.policy.put(PolicyKey.port(FRONTEND, BACKEND, TrafficDirection.EGRESS, Packets.TCP, 80), PolicyValue.allow(1));
        int denied = DropReason.POLICY_DENIED.code();
        long deniedTotalBefore = lxc.dropped(DropReason.POLICY_DENIED);

        assertThat(lxc.egress(Packets.tcp("10.1.0.1", 40000, "10.1.0.2", 80))).isEqualTo(TC_ACT_OK);
        assertThat(lxc.egress(Packets.tcp("10.1.0.1", 40001, "10.1.0.2", 80))).isEqualTo(TC_ACT_OK);
        assertThat(lxc.egress(Packets.tcp("10.1.0.1", 40000, "10.1.0.2", 81))).isEqualTo(TC_ACT_SHOT);
        assertThat(lxc.ingress(Packets.tcp("10.1.0.1", 40000, "10.1.0.2", 22))).isEqualTo(TC_ACT_SHOT);
        assertThat(lxc.ingress(Packets.tcp("10.1.0.1", 40001, "10.1.0.2", 23))).isEqualTo(TC_ACT_SHOT);

        assertThat(lxc.traffic(TrafficDirection.EGRESS, TrafficCounters.FORWARDED)).isEqualTo(2);
        assertThat(lxc.traffic(TrafficDirection.INGRESS, TrafficCounters.FORWARDED)).isZero();
        assertThat(lxc.traffic(TrafficDirection.EGRESS, denied)).isEqualTo(1);
        assertThat(lxc.traffic(TrafficDirection.INGRESS, denied)).isEqualTo(2);
        assertThat(lxc.dropped(DropReason.POLICY_DENIED) - deniedTotalBefore).as("the per-reason total still counts")
                .isEqualTo(3);
    }

    @Test
    void portRangeMatchesExactlyItsEdges() {
        for (PolicyKey key : PolicyKey.portRange(FRONTEND, BACKEND, TrafficDirection.EGRESS, Packets.TCP, 8000, 8080)) {
            lxc.policy.put(key, PolicyValue.allow(2));
        }

        assertThat(lxc.egress(Packets.tcp("10.1.0.1", 1, "10.1.0.2", 7999))).isEqualTo(TC_ACT_SHOT);
        assertThat(lxc.egress(Packets.tcp("10.1.0.1", 1, "10.1.0.2", 8000))).isEqualTo(TC_ACT_OK);
        assertThat(lxc.egress(Packets.tcp("10.1.0.1", 1, "10.1.0.2", 8043))).isEqualTo(TC_ACT_OK);
        assertThat(lxc.egress(Packets.tcp("10.1.0.1", 1, "10.1.0.2", 8080))).isEqualTo(TC_ACT_OK);
        assertThat(lxc.egress(Packets.tcp("10.1.0.1", 1, "10.1.0.2", 8081))).isEqualTo(TC_ACT_SHOT);
    }

    @Test
    void wildcardEntriesCoverAnyPortAnyProtocolAndAnyPeer() {
        lxc.policy.put(PolicyKey.anyPort(FRONTEND, BACKEND, TrafficDirection.EGRESS, Packets.ICMP), PolicyValue.allow(3));
        lxc.policy.put(PolicyKey.anyProtocol(BACKEND, PolicyKey.ANY_REMOTE, TrafficDirection.INGRESS), PolicyValue.allow(4));

        assertThat(lxc.egress(Packets.icmpEcho("10.1.0.1", "10.1.0.2"))).isEqualTo(TC_ACT_OK);
        assertThat(lxc.egress(Packets.icmpEcho("10.1.0.1", "192.0.2.9"))).isEqualTo(TC_ACT_SHOT);
        assertThat(lxc.ingress(Packets.udp("198.51.100.1", 5, "10.1.0.2", 5353))).isEqualTo(TC_ACT_OK);
        assertThat(lxc.ingress(Packets.tcp("10.1.0.1", 5, "10.1.0.2", 22))).isEqualTo(TC_ACT_OK);
    }

    @Test
    void unknownPeersAreWorldAndCidrPeersHaveTheirIdentity() {
        lxc.policy.put(PolicyKey.port(FRONTEND, WORLD, TrafficDirection.EGRESS, Packets.UDP, 53), PolicyValue.allow(5));
        lxc.policy.put(PolicyKey.port(FRONTEND, CIDR_192_0_2, TrafficDirection.EGRESS, Packets.TCP, 443), PolicyValue.allow(6));

        assertThat(lxc.egress(Packets.udp("10.1.0.1", 1, "203.0.113.53", 53))).isEqualTo(TC_ACT_OK);
        assertThat(lxc.egress(Packets.udp("10.1.0.1", 1, "192.0.2.53", 53))).as("CIDR identity, not world").isEqualTo(TC_ACT_SHOT);
        assertThat(lxc.egress(Packets.tcp("10.1.0.1", 1, "192.0.2.10", 443))).isEqualTo(TC_ACT_OK);
        assertThat(lxc.egress(Packets.tcp("10.1.0.1", 1, "203.0.113.10", 443))).isEqualTo(TC_ACT_SHOT);
    }

    @Test
    void denyForAnyPeerBeatsAnAllowForTheSpecificPeer() {
        lxc.policy.put(PolicyKey.port(BACKEND, FRONTEND, TrafficDirection.INGRESS, Packets.TCP, 22), PolicyValue.allow(7));
        lxc.policy.put(PolicyKey.port(BACKEND, PolicyKey.ANY_REMOTE, TrafficDirection.INGRESS, Packets.TCP, 22),
                PolicyValue.deny(8));

        assertThat(lxc.ingress(Packets.tcp("10.1.0.1", 1, "10.1.0.2", 22))).isEqualTo(TC_ACT_SHOT);
    }

    @Test
    void proxyVerdictPassesOnlyTrafficMarkedByTheProxy() {
        lxc.policy.put(PolicyKey.port(BACKEND, FRONTEND, TrafficDirection.INGRESS, Packets.TCP, 9092),
                PolicyValue.proxy(15001, 9));
        long before = lxc.dropped(DropReason.PROXY_REQUIRED);
        byte[] frame = Packets.tcp("10.1.0.1", 40000, "10.1.0.2", 9092);

        assertThat(lxc.ingress(frame)).isEqualTo(TC_ACT_SHOT);
        assertThat(lxc.dropped(DropReason.PROXY_REQUIRED) - before).isEqualTo(1);
        assertThat(lxc.ingressMarked(frame, PROXY_MARK)).isEqualTo(TC_ACT_OK);
    }

    @Test
    void packetsFromAnAddressThatIsNotTheLocalEndpointAreDropped() {
        lxc.policy.put(PolicyKey.anyProtocol(FRONTEND, PolicyKey.ANY_REMOTE, TrafficDirection.EGRESS), PolicyValue.allow(10));
        long before = lxc.dropped(DropReason.UNKNOWN_ENDPOINT);

        assertThat(lxc.egress(Packets.tcp("10.9.9.9", 1, "10.1.0.2", 80))).as("not in the ipcache").isEqualTo(TC_ACT_SHOT);
        assertThat(lxc.egress(Packets.tcp("192.0.2.7", 1, "10.1.0.2", 80))).as("a remote CIDR").isEqualTo(TC_ACT_SHOT);
        assertThat(lxc.dropped(DropReason.UNKNOWN_ENDPOINT) - before).isEqualTo(2);
    }

    @Test
    void icmpIsJudgedByItsMessageTypeAndRepliesPassAsReplies() {
        lxc.policy.put(PolicyKey.port(FRONTEND, BACKEND, TrafficDirection.EGRESS, Packets.ICMP, Packets.ICMP_ECHO_REQUEST),
                PolicyValue.allow(1));
        lxc.policy.put(PolicyKey.port(BACKEND, FRONTEND, TrafficDirection.INGRESS, Packets.ICMP,
                Packets.ICMP_ECHO_REQUEST), PolicyValue.allow(1));

        assertThat(lxc.egress(Packets.icmp("10.1.0.1", "10.1.0.2", Packets.ICMP_TIMESTAMP)))
                .as("a type no entry names").isEqualTo(TC_ACT_SHOT);
        assertThat(lxc.egress(Packets.icmp("10.1.0.1", "10.1.0.2", Packets.ICMP_ECHO_REPLY)))
                .as("an echo reply nobody asked for").isEqualTo(TC_ACT_SHOT);
        assertThat(lxc.egress(Packets.icmp("10.1.0.1", "10.1.0.2", Packets.ICMP_ECHO_REQUEST))).isEqualTo(TC_ACT_OK);
        assertThat(lxc.ingress(Packets.icmp("10.1.0.1", "10.1.0.2", Packets.ICMP_ECHO_REQUEST))).isEqualTo(TC_ACT_OK);
        assertThat(lxc.egress(Packets.icmp("10.1.0.2", "10.1.0.1", Packets.ICMP_ECHO_REPLY)))
                .as("the backend's reply").isEqualTo(TC_ACT_OK);
        assertThat(lxc.ingress(Packets.icmp("10.1.0.2", "10.1.0.1", Packets.ICMP_ECHO_REPLY)))
                .as("the reply reaching the frontend").isEqualTo(TC_ACT_OK);
        assertThat(lxc.egress(Packets.tcp("10.1.0.1", 40000, "10.1.0.2", 8))).as("port 8 is not ICMP type 8")
                .isEqualTo(TC_ACT_SHOT);
    }

    @Test
    void laterIcmpFragmentsAreJudgedByTheTypeOfTheirFirst() {
        lxc.policy.put(PolicyKey.port(FRONTEND, PolicyKey.ANY_REMOTE, TrafficDirection.EGRESS, Packets.ICMP,
                Packets.ICMP_ECHO_REQUEST), PolicyValue.allow(1));
        byte[] echo = {(byte) Packets.ICMP_ECHO_REQUEST, 0, 0, 0, 0, 1, 0, 1};
        byte[] timestamp = {(byte) Packets.ICMP_TIMESTAMP, 0, 0, 0, 0, 1, 0, 2};
        byte[] rest = new byte[16];

        assertThat(lxc.egress(Packets.ipv4("10.1.0.1", "192.0.2.9", Packets.ICMP, 0x2000, echo))).isEqualTo(TC_ACT_OK);
        assertThat(lxc.egress(Packets.ipv4("10.1.0.1", "192.0.2.9", Packets.ICMP, 0x0001, rest))).isEqualTo(TC_ACT_OK);
        assertThat(lxc.egress(Packets.ipv4("10.1.0.1", "192.0.2.8", Packets.ICMP, 0x2000, timestamp)))
                .isEqualTo(TC_ACT_SHOT);
        assertThat(lxc.egress(Packets.ipv4("10.1.0.1", "192.0.2.8", Packets.ICMP, 0x0001, rest)))
                .as("the rest of a refused datagram").isEqualTo(TC_ACT_SHOT);
    }

    @Test
    void arpPassesAndOtherL3ProtocolsAreDropped() {
        long before = lxc.dropped(DropReason.UNSUPPORTED_L3);

        assertThat(lxc.egress(Packets.arp())).isEqualTo(TC_ACT_OK);
        assertThat(lxc.ingress(Packets.arp())).isEqualTo(TC_ACT_OK);
        assertThat(lxc.egress(Packets.ipv6())).isEqualTo(TC_ACT_SHOT);
        assertThat(lxc.dropped(DropReason.UNSUPPORTED_L3) - before).isEqualTo(1);
    }

    /**
     * The kernel refuses TC test runs of IPv4 frames shorter than Ethernet + 20 bytes (EINVAL), so
     * a cut-off IPv4 header is tested through its length field: IHL 15 claims 60 bytes the frame
     * does not have, IHL 4 is below the minimum.
     */
    @Test
    void truncatedHeadersAndFragmentsAreDropped() {
        lxc.policy.put(PolicyKey.anyProtocol(FRONTEND, PolicyKey.ANY_REMOTE, TrafficDirection.EGRESS), PolicyValue.allow(11));
        byte[] frame = Packets.tcp("10.1.0.1", 1, "10.1.0.2", 80);
        byte[] longIhl = frame.clone();
        longIhl[14] = 0x4F;
        byte[] shortIhl = frame.clone();
        shortIhl[14] = 0x44;
        long invalidBefore = lxc.dropped(DropReason.INVALID_PACKET);
        long fragmentBefore = lxc.dropped(DropReason.FRAGMENT);

        assertThat(lxc.egress(frame)).isEqualTo(TC_ACT_OK);
        assertThat(lxc.egress(longIhl)).isEqualTo(TC_ACT_SHOT);
        assertThat(lxc.egress(shortIhl)).isEqualTo(TC_ACT_SHOT);
        assertThat(lxc.egress(Packets.truncate(frame, 14 + 20 + 3))).as("TCP ports cut off").isEqualTo(TC_ACT_SHOT);
        assertThat(lxc.egress(Packets.ipv4("10.1.0.1", "10.1.0.2", Packets.TCP, 0x0010, new byte[20]))).isEqualTo(TC_ACT_SHOT);

        assertThat(lxc.dropped(DropReason.INVALID_PACKET) - invalidBefore).isEqualTo(3);
        assertThat(lxc.dropped(DropReason.FRAGMENT) - fragmentBefore).isEqualTo(1);
    }
}
