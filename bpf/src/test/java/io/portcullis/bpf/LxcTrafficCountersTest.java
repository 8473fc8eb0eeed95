package io.portcullis.bpf;

import static io.portcullis.bpf.LxcUnderTest.BACKEND;
import static io.portcullis.bpf.LxcUnderTest.FRONTEND;
import static io.portcullis.bpf.LxcUnderTest.TC_ACT_OK;
import static io.portcullis.bpf.LxcUnderTest.TC_ACT_SHOT;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.bpf.maps.DropReason;
import io.portcullis.bpf.maps.PolicyKey;
import io.portcullis.bpf.maps.PolicyValue;
import io.portcullis.bpf.maps.TrafficCounters;
import io.portcullis.bpf.maps.TrafficDirection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** bpf_lxc.o's per-direction counters (portcullis_traffic_v1), through BPF_PROG_TEST_RUN. */
class LxcTrafficCountersTest {
    private LxcUnderTest lxc;

    @BeforeEach
    void load() throws Exception {
        Privileged.requireBpf("loads bpf_lxc.o");
        lxc = new LxcUnderTest();
    }

    @AfterEach
    void unload() throws Exception {
        if (lxc != null) {
            lxc.close();
        }
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
}
