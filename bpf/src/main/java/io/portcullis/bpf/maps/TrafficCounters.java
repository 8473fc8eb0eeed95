package io.portcullis.bpf.maps;

/**
 * The layout of {@link MapNames#TRAFFIC} (lib/drop.h): one {@link DropCounter} per direction and
 * slot, where slot 0 (no {@link DropReason} has it) counts the packets forwarded, the slot after
 * the last reason those of them that policy denies and audit mode let through, and the others
 * drops by reason. The prefilter and the load balancer's ingress program count as
 * {@link TrafficDirection#INGRESS}, its egress program as {@link TrafficDirection#EGRESS};
 * forwarded packets are those bpf_lxc passed.
 */
public final class TrafficCounters {
    /** C {@code TRAFFIC_FORWARDED}: the slot of forwarded packets. */
    public static final int FORWARDED = 0;
    /** C {@code TRAFFIC_AUDITED}: the slot of packets forwarded in audit mode (counted as forwarded too). */
    public static final int AUDITED = DropReason.MAX;
    /** C {@code TRAFFIC_SLOTS}: slots per direction. */
    static final int SLOTS = DropReason.MAX + 1;
    /** Entries in the array: both directions of every slot. */
    public static final int SIZE = 2 * SLOTS;

    private TrafficCounters() {
    }

    /**
     * The array index of {@code reasonCode} ({@link DropReason#code}, {@link #FORWARDED} or
     * {@link #AUDITED}) in {@code direction}.
     */
    public static int index(TrafficDirection direction, int reasonCode) {
        return direction.code() * SLOTS + reasonCode;
    }
}
