package io.portcullis.bpf.maps;

import java.net.Inet4Address;
import java.nio.ByteBuffer;

/**
 * The layout {@code struct ct_key} (lib/conntrack.h) and {@code struct lb_ct_key} (lib/lb.h)
 * share: a flow's addresses and ports (network order), its protocol and a direction byte whose
 * meaning is each map's own; bytes 14..15 are padding, written as zero.
 */
public final class FlowKeyLayout {
    public static final int SIZE = 16;
    public static final int OFF_SADDR = 0;
    public static final int OFF_DADDR = 4;
    public static final int OFF_SPORT = 8;
    public static final int OFF_DPORT = 10;
    public static final int OFF_PROTOCOL = 12;
    public static final int OFF_DIRECTION = 13;
    public static final int OFF_PAD = 14;

    /** The fields as they are in the map, the direction as its raw code. */
    record Fields(Inet4Address saddr, Inet4Address daddr, int sport, int dport, int protocol, int direction) {
    }

    private FlowKeyLayout() {
    }

    static void check(int sport, int dport, int protocol) {
        Wire.checkPort(sport);
        Wire.checkPort(dport);
        Wire.checkUnsignedByte("protocol", protocol);
    }

    static void encode(ByteBuffer buf, Inet4Address saddr, Inet4Address daddr, int sport, int dport, int protocol,
                       int direction) {
        int base = Wire.begin(buf, SIZE);
        Wire.putAddr(buf, base + OFF_SADDR, saddr);
        Wire.putAddr(buf, base + OFF_DADDR, daddr);
        Wire.putPort(buf, base + OFF_SPORT, sport);
        Wire.putPort(buf, base + OFF_DPORT, dport);
        buf.put(base + OFF_PROTOCOL, (byte) protocol);
        buf.put(base + OFF_DIRECTION, (byte) direction);
        buf.putShort(base + OFF_PAD, (short) 0);
    }

    static Fields decode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        return new Fields(Wire.getAddr(buf, base + OFF_SADDR), Wire.getAddr(buf, base + OFF_DADDR),
                Wire.getPort(buf, base + OFF_SPORT), Wire.getPort(buf, base + OFF_DPORT),
                buf.get(base + OFF_PROTOCOL) & 0xFF, buf.get(base + OFF_DIRECTION));
    }
}
