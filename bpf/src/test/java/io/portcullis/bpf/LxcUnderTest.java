package io.portcullis.bpf;

import io.portcullis.bpf.maps.CtKey;
import io.portcullis.bpf.maps.CtValue;
import io.portcullis.bpf.maps.DropCounter;
import io.portcullis.bpf.maps.DropReason;
import io.portcullis.bpf.maps.FlowEvent;
import io.portcullis.bpf.maps.FlowLost;
import io.portcullis.bpf.maps.IpcacheValue;
import io.portcullis.bpf.maps.Ipv4PrefixKey;
import io.portcullis.bpf.maps.MapNames;
import io.portcullis.bpf.maps.PolicyKey;
import io.portcullis.bpf.maps.PolicyValue;
import io.portcullis.bpf.maps.StructCodec;
import io.portcullis.bpf.maps.TrafficCounters;
import io.portcullis.bpf.maps.TrafficDirection;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * bpf_lxc.o loaded under fresh test pins with two local endpoints in the ipcache (the frontend
 * 10.1.0.1 and the backend 10.1.0.2), its programs run through {@code BPF_PROG_TEST_RUN}:
 * {@link #egress} is the sender's host veth, {@link #ingress} the receiver's; one load per test
 * ({@link PinnedHarness}).
 */
final class LxcUnderTest extends PinnedHarness {
    static final int TC_ACT_OK = 0;
    static final int TC_ACT_SHOT = 2;
    static final int FRONTEND = 1000;
    static final int BACKEND = 1001;
    static final String FRONTEND_IP = "10.1.0.1";
    static final String BACKEND_IP = "10.1.0.2";

    BpfMap<PolicyKey, PolicyValue> policy;
    BpfMap<Ipv4PrefixKey, IpcacheValue> ipcache;
    BpfMap<CtKey, CtValue> conntrack;
    private BpfObject object;
    private BpfProgram fromEndpoint;
    private BpfProgram toEndpoint;
    private BpfMap<Integer, DropCounter> drops;
    private BpfMap<Integer, DropCounter> traffic;
    private BpfMap<Integer, Long> flowLost;
    private RingBuffer flowEvents;
    private final List<FlowEvent> reported = new ArrayList<>();

    LxcUnderTest(String why) {
        super(why);
    }

    @Override
    void load(Path pinRoot) throws Exception {
        object = DatapathObject.LXC.open(pinRoot).load();
        fromEndpoint = object.program("lxc_from_endpoint");
        toEndpoint = object.program("lxc_to_endpoint");
        policy = object.map(MapNames.POLICY, PolicyKey.CODEC, PolicyValue.CODEC);
        ipcache = object.map(MapNames.IPCACHE, Ipv4PrefixKey.CODEC, IpcacheValue.CODEC);
        conntrack = object.map(MapNames.CONNTRACK, CtKey.CODEC, CtValue.CODEC);
        drops = object.map(MapNames.DROPS, StructCodec.U32, DropCounter.CODEC);
        traffic = object.map(MapNames.TRAFFIC, StructCodec.U32, DropCounter.CODEC);
        flowLost = object.map(MapNames.FLOW_LOST, StructCodec.U32, StructCodec.U64);
        flowEvents = object.ringBuffer(MapNames.FLOW_EVENTS, record -> reported.add(FlowEvent.decode(record)));
        ipcache.put(new Ipv4PrefixKey(32, XdpPrefilterTest.ip(FRONTEND_IP)), IpcacheValue.localEndpoint(FRONTEND));
        ipcache.put(new Ipv4PrefixKey(32, XdpPrefilterTest.ip(BACKEND_IP)), IpcacheValue.localEndpoint(BACKEND));
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

    /** The flow events reported since the last call, in order, read from the ring buffer. */
    List<FlowEvent> flowEvents() {
        flowEvents.poll(Duration.ZERO);
        List<FlowEvent> events = List.copyOf(reported);
        reported.clear();
        return events;
    }

    /** Flow events not delivered for this cause, summed over CPUs. */
    long flowLost(FlowLost cause) {
        return flowLost.lookupPerCpu(cause.code()).orElseThrow().stream().mapToLong(Long::longValue).sum();
    }

    /** Runs the sender's program {@code times} times on one frame in a kernel loop; the last verdict. */
    int egressRepeated(byte[] frame, int times) {
        return fromEndpoint.testRun(TestRun.of(frame).repeat(times)).retval();
    }

    @Override
    void unload() {
        if (flowEvents != null) {
            flowEvents.close();
        }
        if (object != null) {
            object.close();
        }
    }
}
