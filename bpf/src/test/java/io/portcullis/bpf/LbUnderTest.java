package io.portcullis.bpf;

import io.portcullis.bpf.lb.LbAlgorithm;
import io.portcullis.bpf.lb.LbBackend;
import io.portcullis.bpf.lb.LbFrontend;
import io.portcullis.bpf.lb.LbProtocol;
import io.portcullis.bpf.lb.LbService;
import io.portcullis.bpf.lb.LoadBalancer;
import io.portcullis.bpf.maps.DropCounter;
import io.portcullis.bpf.maps.DropReason;
import io.portcullis.bpf.maps.LbBackendValue;
import io.portcullis.bpf.maps.LbCtKey;
import io.portcullis.bpf.maps.LbCtValue;
import io.portcullis.bpf.maps.LbServiceKey;
import io.portcullis.bpf.maps.LbServiceValue;
import io.portcullis.bpf.maps.MapNames;
import io.portcullis.bpf.maps.StructCodec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * bpf_lb.o under fresh test pins: a {@link LoadBalancer} writes the services, a second load of
 * the same object (sharing the pinned maps) runs {@code lb_ingress} and {@code lb_egress}
 * through {@code BPF_PROG_TEST_RUN}. One load per test
 * ({@link PinnedHarness}).
 */
final class LbUnderTest extends PinnedHarness {
    static final int TC_ACT_OK = 0;
    static final int TC_ACT_SHOT = 2;
    static final String CLIENT = "192.0.2.7";

    LoadBalancer balancer;
    BpfMap<LbCtKey, LbCtValue> conntrack;
    /** Written behind the balancer's back, to stage what a sync in progress or id reuse leaves. */
    BpfMap<LbServiceKey, LbServiceValue> services;
    BpfMap<Integer, LbBackendValue> backends;
    private BpfObject object;
    private BpfMap<Integer, DropCounter> drops;

    LbUnderTest(String why) {
        super(why);
    }

    @Override
    void load(Path pinRoot) {
        balancer = LoadBalancer.load(pinRoot);
        object = DatapathObject.LB.open(pinRoot).load();
        conntrack = balancer.conntrack();
        services = object.map(MapNames.LB_SERVICES, LbServiceKey.CODEC, LbServiceValue.CODEC);
        backends = object.map(MapNames.LB_BACKENDS, StructCodec.U32, LbBackendValue.CODEC);
        drops = object.map(MapNames.DROPS, StructCodec.U32, DropCounter.CODEC);
    }

    static LbService service(String vip, int port, LbProtocol protocol, LbAlgorithm algorithm, String... backends)
            throws Exception {
        List<LbBackend> list = new ArrayList<>();
        for (String backend : backends) {
            String[] parts = backend.split(":");
            list.add(new LbBackend(XdpPrefilterTest.ip(parts[0]), Integer.parseInt(parts[1])));
        }
        return new LbService(new LbFrontend(XdpPrefilterTest.ip(vip), port, protocol), list, algorithm);
    }

    TestRun.Result ingress(byte[] frame) {
        return object.program("lb_ingress").testRun(TestRun.of(frame));
    }

    TestRun.Result egress(byte[] frame) {
        return object.program("lb_egress").testRun(TestRun.of(frame));
    }

    BpfProgram program(String name) {
        return object.program(name);
    }

    void flushConntrack() {
        conntrack.keys().forEach(conntrack::delete);
    }

    long dropped(DropReason reason) {
        return DropCounter.sum(drops.lookupPerCpu(reason.code()).orElseThrow()).packets();
    }

    @Override
    void unload() {
        try {
            if (object != null) {
                object.close();
            }
        } finally {
            if (balancer != null) {
                balancer.close();
            }
        }
    }
}
