package io.portcullis.bpf.maps;

import java.net.Inet4Address;
import java.nio.ByteBuffer;

/**
 * {@code struct origdst_value} (lib/sockmap.h): where a connection redirected to the proxy was
 * going (address and port network order) and who opened it (identity, host order). Bytes 6..7 are
 * padding, written as zero.
 */
public record OrigDstValue(Inet4Address addr, int port, int srcIdentity) {
    public static final int SIZE = 12;
    public static final int OFF_ADDR = 0;
    public static final int OFF_PORT = 4;
    public static final int OFF_PAD = 6;
    public static final int OFF_SRC_IDENTITY = 8;
    public static final StructCodec<OrigDstValue> CODEC = StructCodec.of(SIZE, OrigDstValue::encode, OrigDstValue::decode);

    public OrigDstValue {
        Wire.checkPort(port);
    }

    public void encode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        Wire.putAddr(buf, base + OFF_ADDR, addr);
        Wire.putPort(buf, base + OFF_PORT, port);
        buf.putShort(base + OFF_PAD, (short) 0);
        buf.putInt(base + OFF_SRC_IDENTITY, srcIdentity);
    }

    public static OrigDstValue decode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        return new OrigDstValue(Wire.getAddr(buf, base + OFF_ADDR), Wire.getPort(buf, base + OFF_PORT),
                buf.getInt(base + OFF_SRC_IDENTITY));
    }
}
