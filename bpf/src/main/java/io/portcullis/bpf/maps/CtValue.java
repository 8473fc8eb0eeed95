package io.portcullis.bpf.maps;

import java.nio.ByteBuffer;

/**
 * {@code struct ct_value} (lib/conntrack.h): last packet time ({@code bpf_ktime_get_ns}), packet and
 * byte counts, the opener's identity and {@code CT_F_*} flags in host order; the proxy port in
 * network order.
 */
public record CtValue(long lastSeenNs, long packets, long bytes, int srcIdentity, int flags, int proxyPort) {
    public static final int SIZE = 32;
    public static final int OFF_LAST_SEEN_NS = 0;
    public static final int OFF_PACKETS = 8;
    public static final int OFF_BYTES = 16;
    public static final int OFF_SRC_IDENTITY = 24;
    public static final int OFF_FLAGS = 28;
    public static final int OFF_PROXY_PORT = 30;
    public static final int FLAG_SEEN_NON_SYN = 0x1;
    public static final int FLAG_TX_CLOSING = 0x2;
    public static final int FLAG_RX_CLOSING = 0x4;
    public static final int FLAG_PROXY = 0x8;
    public static final StructCodec<CtValue> CODEC = StructCodec.of(SIZE, CtValue::encode, CtValue::decode);

    public CtValue {
        Wire.checkPort(proxyPort);
    }

    public void encode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        buf.putLong(base + OFF_LAST_SEEN_NS, lastSeenNs);
        buf.putLong(base + OFF_PACKETS, packets);
        buf.putLong(base + OFF_BYTES, bytes);
        buf.putInt(base + OFF_SRC_IDENTITY, srcIdentity);
        buf.putShort(base + OFF_FLAGS, (short) flags);
        Wire.putPort(buf, base + OFF_PROXY_PORT, proxyPort);
    }

    public static CtValue decode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        return new CtValue(buf.getLong(base + OFF_LAST_SEEN_NS), buf.getLong(base + OFF_PACKETS),
                buf.getLong(base + OFF_BYTES), buf.getInt(base + OFF_SRC_IDENTITY),
                buf.getShort(base + OFF_FLAGS) & 0xFFFF, Wire.getPort(buf, base + OFF_PROXY_PORT));
    }
}
