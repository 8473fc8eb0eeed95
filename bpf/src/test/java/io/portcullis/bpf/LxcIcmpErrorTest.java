package io.portcullis.bpf;

import static io.portcullis.bpf.LxcUnderTest.BACKEND;
import static io.portcullis.bpf.LxcUnderTest.FRONTEND;
import static io.portcullis.bpf.LxcUnderTest.TC_ACT_OK;
import static io.portcullis.bpf.LxcUnderTest.TC_ACT_SHOT;
import static io.portcullis.bpf.Packets.ICMP_DEST_UNREACH;
import static io.portcullis.bpf.Packets.ICMP_FRAG_NEEDED;
import static io.portcullis.bpf.Packets.ICMP_PARAMETER_PROBLEM;
import static io.portcullis.bpf.Packets.ICMP_PORT_UNREACH;
import static io.portcullis.bpf.Packets.ICMP_TIME_EXCEEDED;
import static io.portcullis.bpf.XdpPrefilterTest.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.bpf.maps.CtKey;
import io.portcullis.bpf.maps.CtValue;
import io.portcullis.bpf.maps.DropReason;
import io.portcullis.bpf.maps.PolicyKey;
import io.portcullis.bpf.maps.PolicyValue;
import io.portcullis.bpf.maps.TrafficDirection;
import java.net.Inet4Address;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * bpf_lxc and ICMP errors (RELATED) through BPF_PROG_TEST_RUN: an error quoting a live flow of the
 * endpoint passes without policy, whichever side opened the flow and whichever way the error goes;
 * anything else is judged by policy. Frontend 10.1.0.1 (identity 1000) and backend 10.1.0.2 (1001)
 * are local endpoints; the server and the router on the path are world. No policy allows ICMP.
 */
class LxcIcmpErrorTest {
    private static final String A = LxcUnderTest.FRONTEND_IP;
    private static final String B = LxcUnderTest.BACKEND_IP;
    private static final String SERVER = "203.0.113.7";
    private static final String ROUTER = "198.51.100.1";

    @RegisterExtension
    final LxcUnderTest lxc = new LxcUnderTest("loads bpf_lxc.o");

    /** The frontend may open TCP to SERVER:443 and nothing else; nothing may reach it unasked. */
    private void frontendOpensHttps() {
        lxc.policy.put(PolicyKey.port(FRONTEND, PolicyKey.ANY_REMOTE, TrafficDirection.EGRESS, Packets.TCP, 443),
                PolicyValue.allow(1));
        assertThat(lxc.egress(Packets.tcp(A, 40000, SERVER, 443))).isEqualTo(TC_ACT_OK);
    }

    @Test
    void fragmentationNeededAboutAFlowTheEndpointOpenedReachesIt() {
        frontendOpensHttps();
        CtKey flow = new CtKey(addr(A), addr(SERVER), 40000, 443, Packets.TCP, TrafficDirection.EGRESS);
        CtValue before = lxc.conntrack.lookup(flow).orElseThrow();
        byte[] fragNeeded = Packets.icmpError(ROUTER, A, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED,
                Packets.tcp(A, 40000, SERVER, 443, Packets.TCP_ACK));

        assertThat(lxc.ingress(fragNeeded)).isEqualTo(TC_ACT_OK);

        CtValue after = lxc.conntrack.lookup(flow).orElseThrow();
        assertThat(after.packets()).as("counted on the flow").isEqualTo(before.packets() + 1);
        assertThat(after.bytes()).isEqualTo(before.bytes() + fragNeeded.length);
        assertThat(after.lastSeenNs()).as("an error does not keep the flow alive").isEqualTo(before.lastSeenNs());
        assertThat(after.flags()).as("nor complete its handshake").isEqualTo(before.flags());
    }

    @Test
    void anErrorAboutAnUntrackedFlowIsJudgedByPolicy() {
        frontendOpensHttps();
        long denied = lxc.dropped(DropReason.POLICY_DENIED);

        assertThat(lxc.ingress(Packets.icmpError(ROUTER, A, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED,
                Packets.tcp(A, 40001, SERVER, 443, Packets.TCP_ACK)))).as("another source port").isEqualTo(TC_ACT_SHOT);
        assertThat(lxc.ingress(Packets.icmpError(ROUTER, A, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED,
                Packets.udp(A, 40000, SERVER, 443)))).as("another protocol").isEqualTo(TC_ACT_SHOT);
        assertThat(lxc.dropped(DropReason.POLICY_DENIED) - denied).isEqualTo(2);

        lxc.policy.put(PolicyKey.anyPort(FRONTEND, PolicyKey.ANY_REMOTE, TrafficDirection.INGRESS, Packets.ICMP),
                PolicyValue.allow(2));
        assertThat(lxc.ingress(Packets.icmpError(ROUTER, A, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED,
                Packets.tcp(A, 40001, SERVER, 443, Packets.TCP_ACK)))).as("a policy allowing ICMP still decides")
                .isEqualTo(TC_ACT_OK);
    }

    @Test
    void anErrorQuotingAnotherEndpointsFlowIsJudgedByPolicy() {
        lxc.policy.put(PolicyKey.port(BACKEND, PolicyKey.ANY_REMOTE, TrafficDirection.EGRESS, Packets.TCP, 443),
                PolicyValue.allow(3));
        assertThat(lxc.egress(Packets.tcp(B, 40000, SERVER, 443))).isEqualTo(TC_ACT_OK);
        long denied = lxc.dropped(DropReason.POLICY_DENIED);

        assertThat(lxc.ingress(Packets.icmpError(ROUTER, A, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED,
                Packets.tcp(B, 40000, SERVER, 443, Packets.TCP_ACK)))).as("sent to the frontend about the backend's flow")
                .isEqualTo(TC_ACT_SHOT);
        assertThat(lxc.dropped(DropReason.POLICY_DENIED) - denied).isEqualTo(1);
        assertThat(lxc.ingress(Packets.icmpError(ROUTER, B, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED,
                Packets.tcp(B, 40000, SERVER, 443, Packets.TCP_ACK)))).isEqualTo(TC_ACT_OK);
    }

    @Test
    void timeExceededAndPortUnreachableAboutATrackedUdpFlowPassBothWays() {
        lxc.policy.put(PolicyKey.port(FRONTEND, PolicyKey.ANY_REMOTE, TrafficDirection.EGRESS, Packets.UDP, 53),
                PolicyValue.allow(4));
        byte[] query = Packets.udp(A, 5353, SERVER, 53);
        byte[] answer = Packets.udp(SERVER, 53, A, 5353);
        assertThat(lxc.egress(query)).isEqualTo(TC_ACT_OK);

        assertThat(lxc.ingress(Packets.icmpError(ROUTER, A, ICMP_TIME_EXCEEDED, 0, query))).isEqualTo(TC_ACT_OK);
        assertThat(lxc.egress(Packets.icmpError(A, SERVER, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, answer)))
                .as("the frontend's socket is gone when the answer comes").isEqualTo(TC_ACT_OK);
        assertThat(lxc.conntrack.lookup(new CtKey(addr(A), addr(SERVER), 5353, 53, Packets.UDP, TrafficDirection.EGRESS))
                .orElseThrow().packets()).isEqualTo(3);
    }

    @Test
    void errorsAboutAFlowOpenedTowardsTheEndpointPassBothWays() {
        lxc.policy.put(PolicyKey.port(BACKEND, PolicyKey.ANY_REMOTE, TrafficDirection.INGRESS, Packets.TCP, 80),
                PolicyValue.allow(5));
        byte[] request = Packets.tcp(SERVER, 50000, B, 80, Packets.TCP_ACK);
        byte[] response = Packets.tcp(B, 80, SERVER, 50000, Packets.TCP_ACK);
        byte[] unreachableFromBackend = Packets.icmpError(B, SERVER, ICMP_PARAMETER_PROBLEM, 0, request);
        long denied = lxc.dropped(DropReason.POLICY_DENIED);

        assertThat(lxc.egress(unreachableFromBackend)).as("no flow yet: the backend may send nothing")
                .isEqualTo(TC_ACT_SHOT);
        assertThat(lxc.dropped(DropReason.POLICY_DENIED) - denied).isEqualTo(1);

        assertThat(lxc.ingress(Packets.tcp(SERVER, 50000, B, 80))).isEqualTo(TC_ACT_OK);
        assertThat(lxc.egress(unreachableFromBackend)).as("the backend's error about a packet it received")
                .isEqualTo(TC_ACT_OK);
        assertThat(lxc.ingress(Packets.icmpError(ROUTER, B, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, response)))
                .as("an error to the backend about its reply").isEqualTo(TC_ACT_OK);
    }

    @Test
    void headersWithOptionsAreFollowedToTheQuote() {
        frontendOpensHttps();
        byte[] sent = Packets.withIpv4Options(Packets.tcp(A, 40000, SERVER, 443, Packets.TCP_ACK), 2);
        byte[] withOptionsBothLevels = Packets.withIpv4Options(
                Packets.icmpError(ROUTER, A, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, sent), 1);

        assertThat(lxc.ingress(withOptionsBothLevels)).isEqualTo(TC_ACT_OK);
    }

    @Test
    void anErrorAboutAnEchoIsRelatedToTheEchoFlow() {
        lxc.policy.put(PolicyKey.anyPort(FRONTEND, PolicyKey.ANY_REMOTE, TrafficDirection.EGRESS, Packets.ICMP),
                PolicyValue.allow(6));
        byte[] echo = Packets.icmpEcho(A, SERVER);
        byte[] hostUnreachable = Packets.icmpError(ROUTER, A, ICMP_DEST_UNREACH, 1, echo);

        assertThat(lxc.ingress(hostUnreachable)).as("no echo sent yet").isEqualTo(TC_ACT_SHOT);
        assertThat(lxc.egress(echo)).isEqualTo(TC_ACT_OK);
        assertThat(lxc.ingress(hostUnreachable)).isEqualTo(TC_ACT_OK);
    }

    @Test
    void aQuoteCutShortIsDroppedAsInvalid() {
        frontendOpensHttps();
        byte[] quote = Packets.quote(Packets.tcp(A, 40000, SERVER, 443, Packets.TCP_ACK));
        byte[] quoteWithOptions = Packets.quote(Packets.withIpv4Options(Packets.tcp(A, 40000, SERVER, 443), 1));
        byte[] ihlTooSmall = quote.clone();
        ihlTooSmall[0] = 0x44;
        long invalid = lxc.dropped(DropReason.INVALID_PACKET);
        long denied = lxc.dropped(DropReason.POLICY_DENIED);

        for (byte[] shortQuote : new byte[][] {Arrays.copyOf(quote, 12), Arrays.copyOf(quote, 24),
                Arrays.copyOf(quoteWithOptions, quoteWithOptions.length - 4), ihlTooSmall}) {
            assertThat(lxc.ingress(Packets.icmpErrorQuoting(ROUTER, A, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, shortQuote)))
                    .isEqualTo(TC_ACT_SHOT);
        }
        byte[] frameCutInsideQuote = Packets.truncate(
                Packets.icmpError(ROUTER, A, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, Packets.tcp(A, 40000, SERVER, 443)), 14 + 20 + 8 + 24);
        assertThat(lxc.ingress(frameCutInsideQuote)).isEqualTo(TC_ACT_SHOT);

        assertThat(lxc.dropped(DropReason.INVALID_PACKET) - invalid).isEqualTo(5);
        assertThat(lxc.dropped(DropReason.POLICY_DENIED) - denied).isZero();
        assertThat(lxc.ingress(Packets.icmpErrorQuoting(ROUTER, A, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, quote)))
                .as("the whole quote of the same flow").isEqualTo(TC_ACT_OK);
    }

    @Test
    void otherIcmpMessagesAreStillJudgedByPolicy() {
        frontendOpensHttps();
        long denied = lxc.dropped(DropReason.POLICY_DENIED);

        assertThat(lxc.ingress(Packets.icmpEcho(SERVER, A))).as("echo request to the endpoint").isEqualTo(TC_ACT_SHOT);
        assertThat(lxc.egress(Packets.icmpEcho(A, SERVER))).as("echo request from the endpoint").isEqualTo(TC_ACT_SHOT);
        assertThat(lxc.ingress(Packets.icmpErrorQuoting(ROUTER, A, 5, 1,
                Packets.quote(Packets.tcp(A, 40000, SERVER, 443, Packets.TCP_ACK))))).as("a redirect quotes too, but is no error")
                .isEqualTo(TC_ACT_SHOT);
        assertThat(lxc.dropped(DropReason.POLICY_DENIED) - denied).isEqualTo(3);
    }

    private static Inet4Address addr(String dotted) {
        try {
            return ip(dotted);
        } catch (Exception e) {
            throw new IllegalArgumentException(dotted, e);
        }
    }
}
