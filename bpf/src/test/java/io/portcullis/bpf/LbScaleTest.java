package io.portcullis.bpf;

import static io.portcullis.bpf.LbUnderTest.CLIENT;
import static io.portcullis.bpf.LbUnderTest.service;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.bpf.lb.LbAlgorithm;
import io.portcullis.bpf.lb.LbProtocol;
import io.portcullis.bpf.lb.LbService;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Per-packet cost of lb_ingress with 1 and 1,000 services, printed for the report (machines
 * differ, so only the translation is asserted). BPF_PROG_TEST_RUN repeats a run on the same skb,
 * which the first run already translated, so a repeat measures the pass-through path only; the
 * translating paths are timed as single runs, averaged.
 */
class LbScaleTest {
    private static final int RUNS = 5_000;

    @RegisterExtension
    final LbUnderTest lb = new LbUnderTest("loads bpf_lb.o");

    @ParameterizedTest
    @ValueSource(ints = {1, 1000})
    void perPacketCostOfLbIngress(int serviceCount) throws Exception {
        List<LbService> services = new ArrayList<>();
        for (int i = 0; i < serviceCount; i++) {
            LbAlgorithm algorithm = i % 2 == 0 ? LbAlgorithm.RANDOM : LbAlgorithm.MAGLEV;
            services.add(service("10.96." + (i / 250) + "." + (i % 250 + 1), 80, LbProtocol.TCP, algorithm,
                    "10.200." + (i / 250) + "." + (i % 250 + 1) + ":8080", "10.201." + (i / 250) + "." + (i % 250 + 1)
                            + ":8080", "10.202." + (i / 250) + "." + (i % 250 + 1) + ":8080"));
        }
        lb.balancer.sync(services);
        String vip = services.get(services.size() - 1).frontend().vip().getHostAddress();

        long newFlowNs = 0;
        for (int i = 0; i < RUNS; i++) {
            TestRun.Result result = lb.ingress(Packets.tcp(CLIENT, 10000 + i, vip, 80));
            assertThat(Packets.destination(result.packet())).doesNotStartWith(vip);
            newFlowNs += result.durationNs();
        }
        long trackedNs = 0;
        byte[] ack = Packets.tcp(CLIENT, 10000, vip, 80, Packets.TCP_ACK);
        for (int i = 0; i < RUNS; i++) {
            trackedNs += lb.ingress(ack).durationNs();
        }
        byte[] other = Packets.tcp(CLIENT, 10000, "10.250.0.1", 80);
        long passSingleNs = 0;
        for (int i = 0; i < RUNS; i++) {
            passSingleNs += lb.ingress(other).durationNs();
        }
        long passNs = lb.program("lb_ingress").testRun(TestRun.of(other).repeat(100_000)).durationNs();

        System.out.printf("lb scale: %,d services (3 backends each): lb_ingress single runs: %d ns new flow (select"
                + " + 2 CT writes + DNAT), %d ns tracked flow (CT hit + DNAT), %d ns non-service (the single-run"
                + " baseline); repeated 100,000 times: %d ns/packet non-service%n", serviceCount, newFlowNs / RUNS,
                trackedNs / RUNS, passSingleNs / RUNS, passNs);
    }
}
