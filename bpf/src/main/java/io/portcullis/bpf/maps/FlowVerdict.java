package io.portcullis.bpf.maps;

/** C {@code enum flow_verdict} (lib/flow_events.h): what a {@link FlowEvent} reports. */
public enum FlowVerdict {
    /** A new flow policy allows. */
    FORWARDED(1),
    /** A dropped packet; the event's reason says why. */
    DROPPED(2),
    /** A new flow policy denies, forwarded by audit mode. */
    AUDIT(3);

    private final int code;

    FlowVerdict(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static FlowVerdict of(int code) {
        for (FlowVerdict verdict : values()) {
            if (verdict.code == code) {
                return verdict;
            }
        }
        throw new IllegalArgumentException("unknown flow verdict code " + code);
    }
}
