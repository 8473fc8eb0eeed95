package io.portcullis.bpf;

import io.portcullis.bpf.maps.CtKey;
import io.portcullis.bpf.maps.CtValue;
import io.portcullis.bpf.maps.DropCounter;
import io.portcullis.bpf.maps.DropReason;
import io.portcullis.bpf.maps.IpcacheKey;
import io.portcullis.bpf.maps.IpcacheValue;
import io.portcullis.bpf.maps.MapNames;
import io.portcullis.bpf.maps.PolicyKey;
import io.portcullis.bpf.maps.PolicyValue;
import io.portcullis.bpf.maps.StructCodec;
import io.portcullis.bpf.maps.TrafficCounters;
import io.portcullis.bpf.maps.TrafficDirection;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * bpf_lxc.o loaded under fresh test pins with two local endpoints in the ipcache (the frontend
 * 10.1.0.1 and the backend 10.1.0.2), its programs run through {@code BPF_PROG_TEST_RUN}:
 * {@link #egress} is the sender's host veth, {@link #ingress} the receiver's.
 */
final class LxcUnderTest implements AutoCloseable {
    static final int TC_ACT_OK = 0;
    static final int TC_ACT_SHOT = 2;
    static final int FRONTEND = 1000;
    static final int BACKEND = 1001;
    static final String FRONTEND_IP = "10.1.0.1";
    static final String BACKEND_IP = "10.1.0.2";

    final BpfMap<PolicyKey, PolicyValue> policy;
    final BpfMap<IpcacheKey, IpcacheValue> ipcache;
    final BpfMap<CtKey, CtValue> conntrack;
    private final TestPins pins;
    private final BpfObject object;
    private final BpfProgram fromEndpoint;
    private final BpfProgram toEndpoint;
    private final BpfMap<Integer, DropCounter> drops;
    private final BpfMap<Integer, DropCounter> traffic;

    LxcUnderTest() throws Exception {
        pins = new TestPins();
        try {
            object = DatapathObject.LXC.open(pins.dir()).load();
        } catch (RuntimeException e) {
            pins.close();
            throw e;
        }
        fromEndpoint = object.program("lxc_from_endpoint");
        toEndpoint = object.program("lxc_to_endpoint");
        policy = object.map(MapNames.POLICY, PolicyKey.CODEC, PolicyValue.CODEC);
        ipcache = object.map(MapNames.IPCACHE, IpcacheKey.CODEC, IpcacheValue.CODEC);
        conntrack = object.map(MapNames.CONNTRACK, CtKey.CODEC, CtValue.CODEC);
        drops = object.map(MapNames.DROPS, StructCodec.U32, DropCounter.CODEC);
        traffic = object.map(MapNames.TRAFFIC, StructCodec.U32, DropCounter.CODEC);
        ipcache.put(new IpcacheKey(32, XdpPrefilterTest.ip(FRONTEND_IP)), IpcacheValue.localEndpoint(FRONTEND));
        ipcache.put(new IpcacheKey(32, XdpPrefilterTest.ip(BACKEND_IP)), IpcacheValue.localEndpoint(BACKEND));
    }

    /**
     * Attaches both programs to the host-side veth ifindex in the calling thread's namespace, as the
     * sidecar does; deleting the namespace detaches them.
     */
    void attach(int ifindex) {
        fromEndpoint.attachTc(ifindex, TcDirection.INGRESS, 1);
        toEndpoint.attachTc(ifindex, TcDirection.EGRESS, 1);
    }

    int egress(byte[] frame) {
        return fromEndpoint.testRun(TestRun.of(frame)).retval();
    }

    int ingress(byte[] frame) {
        return toEndpoint.testRun(TestRun.of(frame)).retval();
    }

    /** Into the endpoint from a socket carrying {@code mark}, as the proxy's upstream sockets do. */
    int ingressMarked(byte[] frame, int mark) {
        // struct __sk_buff up to mark: len and pkt_type must be zero for BPF_PROG_TEST_RUN.
        byte[] skb = ByteBuffer.allocate(12).order(ByteOrder.nativeOrder()).putInt(0).putInt(0).putInt(mark).array();
        return toEndpoint.testRun(TestRun.of(frame).context(skb)).retval();
    }

    long dropped(DropReason reason) {
        return DropCounter.sum(drops.lookupPerCpu(reason.code()).orElseThrow()).packets();
    }

    /** Packets counted in {@link MapNames#TRAFFIC} for a reason code (or forwarded) in a direction. */
    long traffic(TrafficDirection direction, int reasonCode) {
        return DropCounter.sum(traffic.lookupPerCpu(TrafficCounters.index(direction, reasonCode)).orElseThrow())
                .packets();
    }

    @Override
    public void close() throws Exception {
        try {
            object.close();
        } finally {
            pins.close();
        }
    }
}
