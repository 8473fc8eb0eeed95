package io.portcullis.bpf;

import static io.portcullis.bpf.LxcUnderTest.BACKEND;
import static io.portcullis.bpf.LxcUnderTest.BACKEND_IP;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Audit mode in bpf_lxc.o through BPF_PROG_TEST_RUN: what policy would drop is forwarded, tracked
 * and counted in the audit slot, for an endpoint in audit mode and for AUDIT entries; nothing
 * else changes. Endpoints as in {@link LxcPolicyTest}.
 */
class LxcAuditTest {
    @RegisterExtension
    final LxcUnderTest lxc = new LxcUnderTest("loads bpf_lxc.o");

    private long audited(TrafficDirection direction) {
        return lxc.traffic(direction, TrafficCounters.AUDITED);
    }

    @Test
    void anEndpointInAuditModeForwardsWhatItsPolicyDropsAndCountsIt() throws Exception {
        lxc.ipcache.put(new Ipv4PrefixKey(32, ip(BACKEND_IP)), IpcacheValue.localEndpoint(BACKEND, true));
        lxc.policy.put(PolicyKey.port(BACKEND, FRONTEND, TrafficDirection.INGRESS, Packets.TCP, 80),
                PolicyValue.deny(1));
        long deniedBefore = lxc.dropped(DropReason.POLICY_DENIED);

        assertThat(lxc.ingress(Packets.tcp("10.1.0.1", 40000, "10.1.0.2", 80))).as("a deny entry")
                .isEqualTo(TC_ACT_OK);
        assertThat(lxc.ingress(Packets.tcp("10.1.0.1", 40000, "10.1.0.2", 81))).as("no entry at all")
                .isEqualTo(TC_ACT_OK);
        assertThat(lxc.egress(Packets.tcp("10.1.0.2", 80, "10.1.0.1", 40000))).as("the reply, by conntrack")
                .isEqualTo(TC_ACT_OK);

        assertThat(audited(TrafficDirection.INGRESS)).isEqualTo(2);
        assertThat(audited(TrafficDirection.EGRESS)).as("replies pass by conntrack, not by audit").isZero();
        assertThat(lxc.traffic(TrafficDirection.INGRESS, TrafficCounters.FORWARDED)).isEqualTo(2);
        assertThat(lxc.dropped(DropReason.POLICY_DENIED)).isEqualTo(deniedBefore);
        // The frontend enforces: its egress drop stays a drop.
        assertThat(lxc.egress(Packets.tcp("10.1.0.1", 40001, "10.1.0.9", 80))).isEqualTo(TC_ACT_SHOT);
        assertThat(lxc.dropped(DropReason.POLICY_DENIED) - deniedBefore).isEqualTo(1);
    }

    @Test
    void anAuditEntryIsForwardedAndCountedWhileDenyEntriesStillDrop() {
        lxc.policy.put(PolicyKey.port(FRONTEND, BACKEND, TrafficDirection.EGRESS, Packets.TCP, 80),
                PolicyValue.audit(2));
        lxc.policy.put(PolicyKey.port(FRONTEND, BACKEND, TrafficDirection.EGRESS, Packets.TCP, 81),
                PolicyValue.deny(3));

        assertThat(lxc.egress(Packets.tcp("10.1.0.1", 40000, "10.1.0.2", 80))).isEqualTo(TC_ACT_OK);
        assertThat(lxc.egress(Packets.tcp("10.1.0.1", 40000, "10.1.0.2", 80))).isEqualTo(TC_ACT_OK);
        assertThat(lxc.egress(Packets.tcp("10.1.0.1", 40000, "10.1.0.2", 81))).isEqualTo(TC_ACT_SHOT);

        assertThat(audited(TrafficDirection.EGRESS)).as("every packet in the opening direction is judged")
                .isEqualTo(2);
        assertThat(lxc.traffic(TrafficDirection.EGRESS, DropReason.POLICY_DENIED.code())).isEqualTo(1);
    }

    @Test
    void withAuditSwitchedOffTheSameFlowIsDroppedAgain() throws Exception {
        lxc.ipcache.put(new Ipv4PrefixKey(32, ip(BACKEND_IP)), IpcacheValue.localEndpoint(BACKEND, true));
        assertThat(lxc.ingress(Packets.udp("10.1.0.1", 5000, "10.1.0.2", 53))).isEqualTo(TC_ACT_OK);
        lxc.ipcache.put(new Ipv4PrefixKey(32, ip(BACKEND_IP)), IpcacheValue.localEndpoint(BACKEND));
        assertThat(lxc.ingress(Packets.udp("10.1.0.1", 5000, "10.1.0.2", 53))).isEqualTo(TC_ACT_SHOT);
        assertThat(audited(TrafficDirection.INGRESS)).isEqualTo(1);
    }
}
