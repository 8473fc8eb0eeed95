package io.portcullis.agent.observe;

import io.portcullis.agent.datapath.DatapathComponent;
import io.portcullis.agent.datapath.NodeView;
import io.portcullis.bpf.BpfMap;
import io.portcullis.bpf.RingBuffer;
import io.portcullis.bpf.maps.FlowEvent;
import io.portcullis.bpf.maps.FlowLost;
import io.portcullis.bpf.maps.MapNames;
import io.portcullis.bpf.maps.StructCodec;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.Map;

/**
 * Reads bpf_lxc's flow events from the pinned ring buffer on a thread of its own and publishes them
 * as flow records into the {@link FlowHistory}, named with the latest node view. About once a
 * second it reads the datapath's lost counters and publishes what grew as a {@code lost} record
 * ({@code {"time":..., "lost": n, "reason": "rate limit"}}). Load bpf_lxc first: it pins the maps.
 */
public final class KernelFlows implements DatapathComponent {
    private static final System.Logger LOG = System.getLogger(KernelFlows.class.getName());
    private static final Duration POLL = Duration.ofMillis(200);
    private static final long LOST_EVERY_NS = 1_000_000_000L;

    private final FlowHistory history;
    private final Path pinRoot;
    private final Thread reader;
    private final Map<FlowLost, Long> reportedLost = new EnumMap<>(FlowLost.class);
    private volatile NodeView view;
    private volatile boolean running = true;

    public KernelFlows(Path pinRoot, FlowHistory history) {
        this.pinRoot = pinRoot;
        this.history = history;
        RingBuffer ring = RingBuffer.openPinned(pinRoot.resolve(MapNames.FLOW_EVENTS), this::onEvent);
        this.reader = new Thread(() -> read(ring), "portcullis-flow-events");
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public String name() {
        return "flow events";
    }

    @Override
    public void apply(NodeView current) {
        view = current;
    }

    private void read(RingBuffer ring) {
        try (ring; BpfMap<Integer, Long> lost = BpfMap.openPinned(pinRoot.resolve(MapNames.FLOW_LOST),
                StructCodec.U32, StructCodec.U64)) {
            long lastLost = System.nanoTime();
            while (running) {
                ring.poll(POLL);
                if (System.nanoTime() - lastLost >= LOST_EVERY_NS) {
                    lastLost = System.nanoTime();
                    reportLost(lost);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "reading the datapath's flow events failed; observe shows L7 "
                    + "records only until the agent restarts", e);
        }
    }

    private void onEvent(ByteBuffer record) {
        FlowEvent event = FlowEvent.decode(record);
        history.publish(new FlowRecord(KernelFlowJson.toJson(event, wallClock(event.timeNs()), view)));
    }

    /** bpf_ktime_get_ns() and System.nanoTime() are both CLOCK_MONOTONIC on Linux. */
    private static Instant wallClock(long monotonicNs) {
        return Instant.now().minusNanos(System.nanoTime() - monotonicNs);
    }

    private void reportLost(BpfMap<Integer, Long> counters) {
        for (FlowLost cause : FlowLost.values()) {
            long total = counters.lookupPerCpu(cause.code()).orElseThrow().stream().mapToLong(Long::longValue).sum();
            Long before = reportedLost.put(cause, total);
            // The first reading sets the baseline: what an earlier agent's stream lost is not news.
            if (before != null && total > before) {
                history.publish(new FlowRecord("{\"time\":\"" + Instant.now().truncatedTo(ChronoUnit.MILLIS) + "\",\"lost\":" + (total - before)
                        + ",\"reason\":\"datapath " + cause.label() + "\"}"));
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            reader.join(POLL.toMillis() * 5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
