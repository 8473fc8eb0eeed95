package io.portcullis.bpf.maps;

/**
 * The layout of {@link MapNames#TRAFFIC} (lib/drop.h): one {@link DropCounter} per direction and
 * reason, where reason 0 (no {@link DropReason} has it) counts the packets forwarded. The
 * prefilter and the load balancer's ingress program count as {@link TrafficDirection#INGRESS}, its
 * egress program as {@link TrafficDirection#EGRESS}; forwarded packets are those bpf_lxc passed.
 */
public final class TrafficCounters {
    /** C {@code TRAFFIC_FORWARDED}: the reason slot of forwarded packets. */
    public static final int FORWARDED = 0;
    /** Entries in the array: both directions of every reason slot. */
    public static final int SIZE = 2 * DropReason.MAX;

    private TrafficCounters() {
    }

    /** The array index of {@code reasonCode} ({@link DropReason#code} or {@link #FORWARDED}) in {@code direction}. */
    public static int index(TrafficDirection direction, int reasonCode) {
        return direction.code() * DropReason.MAX + reasonCode;
    }
}
