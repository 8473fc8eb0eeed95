package io.portcullis.bpf.maps;

/**
 * C {@code enum flow_lost} (lib/flow_events.h): the index into {@link MapNames#FLOW_LOST}, one
 * per-CPU {@code __u64} count of flow events the datapath did not deliver, per cause.
 */
public enum FlowLost {
    /** The CPU's token bucket was empty: the event was not reported. */
    RATE_LIMIT(0, "rate limit"),
    /** The ring buffer had no room: the agent read too slowly. */
    RING_FULL(1, "ring buffer full");

    /** C {@code FLOW_LOST_MAX}: entries in the counter array. */
    public static final int MAX = 2;

    private final int code;
    private final String label;

    FlowLost(int code, String label) {
        this.code = code;
        this.label = label;
    }

    public int code() {
        return code;
    }

    public String label() {
        return label;
    }
}
