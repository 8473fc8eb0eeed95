package io.portcullis.bpf.maps;

import java.net.Inet4Address;
import java.nio.ByteBuffer;

/**
 * {@code struct lb_ct_key} (lib/lb.h): one direction of a north-south flow as the uplink sees
 * it. Addresses and ports are network order; bytes 14..15 are padding, written as zero.
 */
public record LbCtKey(Inet4Address saddr, Inet4Address daddr, int sport, int dport, int protocol,
        LbCtDirection direction) {
    public static final int SIZE = 16;
    public static final int OFF_SADDR = 0;
    public static final int OFF_DADDR = 4;
    public static final int OFF_SPORT = 8;
    public static final int OFF_DPORT = 10;
    public static final int OFF_PROTOCOL = 12;
    public static final int OFF_DIRECTION = 13;
    public static final int OFF_PAD = 14;
    public static final StructCodec<LbCtKey> CODEC = StructCodec.of(SIZE, LbCtKey::encode, LbCtKey::decode);

    public LbCtKey {
        Wire.checkPort(sport);
        Wire.checkPort(dport);
        Wire.checkUnsignedByte("protocol", protocol);
    }

    public void encode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        Wire.putAddr(buf, base + OFF_SADDR, saddr);
        Wire.putAddr(buf, base + OFF_DADDR, daddr);
        Wire.putPort(buf, base + OFF_SPORT, sport);
        Wire.putPort(buf, base + OFF_DPORT, dport);
        buf.put(base + OFF_PROTOCOL, (byte) protocol);
        buf.put(base + OFF_DIRECTION, (byte) direction.code());
        buf.putShort(base + OFF_PAD, (short) 0);
    }

    public static LbCtKey decode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        return new LbCtKey(Wire.getAddr(buf, base + OFF_SADDR), Wire.getAddr(buf, base + OFF_DADDR),
                Wire.getPort(buf, base + OFF_SPORT), Wire.getPort(buf, base + OFF_DPORT),
                buf.get(base + OFF_PROTOCOL) & 0xFF, LbCtDirection.of(buf.get(base + OFF_DIRECTION)));
    }
}
