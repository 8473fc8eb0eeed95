package io.portcullis.bpf;

import static io.portcullis.bpf.LxcUnderTest.BACKEND;
import static io.portcullis.bpf.LxcUnderTest.BACKEND_IP;
import static io.portcullis.bpf.LxcUnderTest.FRONTEND;
import static io.portcullis.bpf.LxcUnderTest.FRONTEND_IP;
import static io.portcullis.bpf.LxcUnderTest.TC_ACT_OK;
import static io.portcullis.bpf.LxcUnderTest.TC_ACT_SHOT;
import static io.portcullis.bpf.XdpPrefilterTest.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.bpf.maps.DropReason;
import io.portcullis.bpf.maps.FlowEvent;
import io.portcullis.bpf.maps.FlowLost;
import io.portcullis.bpf.maps.FlowVerdict;
import io.portcullis.bpf.maps.IpcacheValue;
import io.portcullis.bpf.maps.Ipv4PrefixKey;
import io.portcullis.bpf.maps.PolicyKey;
import io.portcullis.bpf.maps.PolicyValue;
import io.portcullis.bpf.maps.TrafficDirection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * bpf_lxc.o's flow events (lib/flow_events.h) through BPF_PROG_TEST_RUN, read back from its ring
 * buffer: drops and new-flow verdicts with their fields, and the per-CPU rate limit counting what
 * it does not report. Endpoints as in {@link LxcPolicyTest}.
 */
class LxcFlowEventsTest {
    private static final int BURST = 1000;

    @RegisterExtension
    final LxcUnderTest lxc = new LxcUnderTest("loads bpf_lxc.o");

    @Test
    void aDroppedPacketIsReportedWithItsAddressesIdentitiesAndReason() throws Exception {
        lxc.policy.put(PolicyKey.port(FRONTEND, BACKEND, TrafficDirection.EGRESS, Packets.TCP, 80),
                PolicyValue.deny(7));
        long before = System.nanoTime();

        assertThat(lxc.egress(Packets.tcp(FRONTEND_IP, 40000, BACKEND_IP, 80))).isEqualTo(TC_ACT_SHOT);

        List<FlowEvent> events = lxc.flowEvents();
        assertThat(events).hasSize(1);
        FlowEvent drop = events.get(0);
        assertThat(drop.verdict()).isEqualTo(FlowVerdict.DROPPED);
        assertThat(drop.dropReason()).isEqualTo(DropReason.POLICY_DENIED);
        assertThat(drop.direction()).isEqualTo(TrafficDirection.EGRESS);
        assertThat(drop.saddr()).isEqualTo(ip(FRONTEND_IP));
        assertThat(drop.daddr()).isEqualTo(ip(BACKEND_IP));
        assertThat(drop.sport()).isEqualTo(40000);
        assertThat(drop.dport()).isEqualTo(80);
        assertThat(drop.protocol()).isEqualTo(Packets.TCP);
        assertThat(drop.srcIdentity()).isEqualTo(FRONTEND);
        assertThat(drop.dstIdentity()).isEqualTo(BACKEND);
        assertThat(drop.ruleId()).as("the deny entry's rule").isEqualTo(7);
        assertThat(drop.timeNs()).as("bpf_ktime_get_ns is System.nanoTime's clock")
                .isBetween(before, System.nanoTime());
        assertThat(lxc.flowLost(FlowLost.RATE_LIMIT)).isZero();
    }

    @Test
    void aNewFlowIsReportedOnceAndItsRepliesNot() {
        lxc.policy.put(PolicyKey.port(BACKEND, FRONTEND, TrafficDirection.INGRESS, Packets.UDP, 53),
                PolicyValue.allow(3));

        assertThat(lxc.ingress(Packets.udp(FRONTEND_IP, 5000, BACKEND_IP, 53))).isEqualTo(TC_ACT_OK);
        assertThat(lxc.ingress(Packets.udp(FRONTEND_IP, 5000, BACKEND_IP, 53))).isEqualTo(TC_ACT_OK);
        assertThat(lxc.egress(Packets.udp(BACKEND_IP, 53, FRONTEND_IP, 5000))).as("the reply").isEqualTo(TC_ACT_OK);

        List<FlowEvent> events = lxc.flowEvents();
        assertThat(events).hasSize(1);
        FlowEvent allowed = events.get(0);
        assertThat(allowed.verdict()).isEqualTo(FlowVerdict.FORWARDED);
        assertThat(allowed.reason()).isZero();
        assertThat(allowed.direction()).isEqualTo(TrafficDirection.INGRESS);
        assertThat(allowed.srcIdentity()).isEqualTo(FRONTEND);
        assertThat(allowed.dstIdentity()).isEqualTo(BACKEND);
        assertThat(allowed.dport()).isEqualTo(53);
        assertThat(allowed.protocol()).isEqualTo(Packets.UDP);
        assertThat(allowed.ruleId()).isEqualTo(3);
    }

    @Test
    void aFlowAuditModeLetsThroughIsReportedAsAudit() throws Exception {
        lxc.ipcache.put(new Ipv4PrefixKey(32, ip(BACKEND_IP)), IpcacheValue.localEndpoint(BACKEND, true));

        assertThat(lxc.ingress(Packets.tcp(FRONTEND_IP, 40000, BACKEND_IP, 8080))).isEqualTo(TC_ACT_OK);

        assertThat(lxc.flowEvents()).singleElement().satisfies(event -> {
            assertThat(event.verdict()).isEqualTo(FlowVerdict.AUDIT);
            assertThat(event.dport()).isEqualTo(8080);
        });
    }

    @Test
    void aDropFloodIsCappedAndWhatIsNotReportedIsCounted() {
        int packets = 5 * BURST;

        assertThat(lxc.egressRepeated(Packets.tcp(FRONTEND_IP, 40000, BACKEND_IP, 9), packets))
                .isEqualTo(TC_ACT_SHOT);

        List<FlowEvent> events = lxc.flowEvents();
        long suppressed = lxc.flowLost(FlowLost.RATE_LIMIT);
        assertThat(events).allSatisfy(event -> assertThat(event.dropReason()).isEqualTo(DropReason.POLICY_DENIED));
        assertThat(events.size()).as("at least one CPU's burst is reported").isGreaterThanOrEqualTo(BURST);
        assertThat(suppressed).as("the rest is counted, not reported").isPositive();
        assertThat(events.size() + suppressed).isEqualTo(packets);
        assertThat(lxc.flowLost(FlowLost.RING_FULL)).isZero();
    }
}
