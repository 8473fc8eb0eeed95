package io.portcullis.bpf.maps;

import java.net.Inet4Address;
import java.nio.ByteBuffer;

/**
 * {@code struct lb_revnat} (lib/lb.h): the frontend a service id belongs to (VIP and port network
 * order, protocol number). Byte 7 is padding, written as zero.
 */
public record LbRevNatValue(Inet4Address vip, int port, int protocol) {
    public static final int SIZE = 8;
    public static final int OFF_VIP = 0;
    public static final int OFF_PORT = 4;
    public static final int OFF_PROTOCOL = 6;
    public static final int OFF_PAD = 7;
    public static final StructCodec<LbRevNatValue> CODEC = StructCodec.of(SIZE, LbRevNatValue::encode,
            LbRevNatValue::decode);

    public LbRevNatValue {
        Wire.checkPort(port);
        Wire.checkUnsignedByte("protocol", protocol);
    }

    public void encode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        Wire.putAddr(buf, base + OFF_VIP, vip);
        Wire.putPort(buf, base + OFF_PORT, port);
        buf.put(base + OFF_PROTOCOL, (byte) protocol);
        buf.put(base + OFF_PAD, (byte) 0);
    }

    public static LbRevNatValue decode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        return new LbRevNatValue(Wire.getAddr(buf, base + OFF_VIP), Wire.getPort(buf, base + OFF_PORT),
                buf.get(base + OFF_PROTOCOL) & 0xFF);
    }
}
