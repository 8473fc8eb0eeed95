package io.portcullis.bpf.maps;

import java.net.Inet4Address;
import java.nio.ByteBuffer;

/**
 * {@code struct lb_backend} (lib/lb.h): a backend's address and port (network order) and its
 * service's protocol number. Byte 7 is padding, written as zero.
 */
public record LbBackendValue(Inet4Address addr, int port, int protocol) {
    public static final int SIZE = 8;
    public static final int OFF_ADDR = 0;
    public static final int OFF_PORT = 4;
    public static final int OFF_PROTOCOL = 6;
    public static final int OFF_PAD = 7;
    public static final StructCodec<LbBackendValue> CODEC = StructCodec.of(SIZE, LbBackendValue::encode,
            LbBackendValue::decode);

    public LbBackendValue {
        Wire.checkPort(port);
        Wire.checkUnsignedByte("protocol", protocol);
    }

    public void encode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        Wire.putAddr(buf, base + OFF_ADDR, addr);
        Wire.putPort(buf, base + OFF_PORT, port);
        buf.put(base + OFF_PROTOCOL, (byte) protocol);
        buf.put(base + OFF_PAD, (byte) 0);
    }

    public static LbBackendValue decode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        return new LbBackendValue(Wire.getAddr(buf, base + OFF_ADDR), Wire.getPort(buf, base + OFF_PORT),
                buf.get(base + OFF_PROTOCOL) & 0xFF);
    }
}
