package io.portcullis.bpf.maps;

/**
 * Direction relative to the local endpoint: C {@code enum policy_direction} and
 * {@code enum ct_direction}, which share the numbering.
 */
public enum TrafficDirection {
    /** Into the local endpoint. */
    INGRESS(0),
    /** Out of the local endpoint. */
    EGRESS(1);

    private final int code;

    TrafficDirection(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static TrafficDirection of(int code) {
        for (TrafficDirection direction : values()) {
            if (direction.code == code) {
                return direction;
            }
        }
        throw new IllegalArgumentException("unknown direction code " + code);
    }
}
