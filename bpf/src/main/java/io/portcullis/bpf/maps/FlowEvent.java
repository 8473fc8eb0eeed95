package io.portcullis.bpf.maps;

import java.net.Inet4Address;
import java.nio.ByteBuffer;

/**
 * {@code struct flow_event} (lib/flow_events.h): one drop, or the verdict on one new flow, as
 * bpf_lxc reports it through {@link MapNames#FLOW_EVENTS}. Addresses and ports in network order,
 * the rest in host order; {@code timeNs} is {@code bpf_ktime_get_ns()}, the clock of
 * {@link System#nanoTime()} on Linux. Identities are zero when the packet was dropped before they
 * were looked up; {@code reason} is a {@link DropReason} code for drops and zero otherwise.
 */
public record FlowEvent(long timeNs, Inet4Address saddr, Inet4Address daddr, int sport, int dport, int protocol,
                        FlowVerdict verdict, int reason, TrafficDirection direction, int srcIdentity,
                        int dstIdentity, int ifindex, int length, int tcpFlags, int icmpType, int flags,
                        int ruleId) {
    public static final int SIZE = 48;
    public static final int OFF_TIME_NS = 0;
    public static final int OFF_SADDR = 8;
    public static final int OFF_DADDR = 12;
    public static final int OFF_SPORT = 16;
    public static final int OFF_DPORT = 18;
    public static final int OFF_PROTOCOL = 20;
    public static final int OFF_VERDICT = 21;
    public static final int OFF_REASON = 22;
    public static final int OFF_DIRECTION = 23;
    public static final int OFF_SRC_IDENTITY = 24;
    public static final int OFF_DST_IDENTITY = 28;
    public static final int OFF_IFINDEX = 32;
    public static final int OFF_LENGTH = 36;
    public static final int OFF_TCP_FLAGS = 40;
    public static final int OFF_ICMP_TYPE = 41;
    public static final int OFF_FLAGS = 42;
    public static final int OFF_PAD = 43;
    public static final int OFF_RULE_ID = 44;
    /** C {@code FLOW_F_PROXIED}: the packet came from the proxy, judged as the original source. */
    public static final int FLAG_PROXIED = 0x1;

    /** The drop reason, for {@link FlowVerdict#DROPPED} events. */
    public DropReason dropReason() {
        for (DropReason candidate : DropReason.values()) {
            if (candidate.code() == reason) {
                return candidate;
            }
        }
        throw new IllegalStateException("flow event without a known drop reason: " + reason);
    }

    /** Reads one event from a ring-buffer record; the kernel wrote it in host order. */
    public static FlowEvent decode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        return new FlowEvent(buf.getLong(base + OFF_TIME_NS), Wire.getAddr(buf, base + OFF_SADDR),
                Wire.getAddr(buf, base + OFF_DADDR), Wire.getPort(buf, base + OFF_SPORT),
                Wire.getPort(buf, base + OFF_DPORT), buf.get(base + OFF_PROTOCOL) & 0xFF,
                FlowVerdict.of(buf.get(base + OFF_VERDICT) & 0xFF), buf.get(base + OFF_REASON) & 0xFF,
                TrafficDirection.of(buf.get(base + OFF_DIRECTION) & 0xFF), buf.getInt(base + OFF_SRC_IDENTITY),
                buf.getInt(base + OFF_DST_IDENTITY), buf.getInt(base + OFF_IFINDEX), buf.getInt(base + OFF_LENGTH),
                buf.get(base + OFF_TCP_FLAGS) & 0xFF, buf.get(base + OFF_ICMP_TYPE) & 0xFF,
                buf.get(base + OFF_FLAGS) & 0xFF, buf.getInt(base + OFF_RULE_ID));
    }
}
