package io.portcullis.bpf.maps;

import java.net.Inet4Address;
import java.nio.ByteBuffer;

/**
 * {@code struct frag_key} (lib/fragments.h): one fragmented IPv4 datagram. Addresses and the IP
 * id are network order; byte 11 is padding, written as zero.
 */
public record FragKey(Inet4Address saddr, Inet4Address daddr, int ipId, int protocol) {
    public static final int SIZE = 12;
    public static final int OFF_SADDR = 0;
    public static final int OFF_DADDR = 4;
    public static final int OFF_IP_ID = 8;
    public static final int OFF_PROTOCOL = 10;
    public static final int OFF_PAD = 11;
    public static final StructCodec<FragKey> CODEC = StructCodec.of(SIZE, FragKey::encode, FragKey::decode);

    public FragKey {
        Wire.checkU16("IP id", ipId);
        Wire.checkUnsignedByte("protocol", protocol);
    }

    public void encode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        Wire.putAddr(buf, base + OFF_SADDR, saddr);
        Wire.putAddr(buf, base + OFF_DADDR, daddr);
        Wire.putPort(buf, base + OFF_IP_ID, ipId);
        buf.put(base + OFF_PROTOCOL, (byte) protocol);
        buf.put(base + OFF_PAD, (byte) 0);
    }

    public static FragKey decode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        return new FragKey(Wire.getAddr(buf, base + OFF_SADDR), Wire.getAddr(buf, base + OFF_DADDR),
                Wire.getPort(buf, base + OFF_IP_ID), buf.get(base + OFF_PROTOCOL) & 0xFF);
    }
}
