package io.portcullis.bpf.maps;

import java.net.Inet4Address;
import java.nio.ByteBuffer;

/**
 * {@code struct lb_ct_value} (lib/lb.h): last packet time ({@code bpf_ktime_get_ns}), the chosen
 * backend and service ids and {@code CT_F_*} TCP state in host order; the frontend (VIP, port) and
 * the chosen backend's address and port in network order (the flow keeps its backend only while
 * the id still names that address and port). Bytes 28..31 are padding, written as zero. Expiry:
 * {@link CtLifetime}.
 */
public record LbCtValue(long lastSeenNs, int backendId, int serviceId, int flags, Inet4Address vip, int vport,
        Inet4Address backendAddr, int backendPort) {
    public static final int SIZE = 32;
    public static final int OFF_LAST_SEEN_NS = 0;
    public static final int OFF_BACKEND_ID = 8;
    public static final int OFF_SERVICE_ID = 12;
    public static final int OFF_FLAGS = 14;
    public static final int OFF_VIP = 16;
    public static final int OFF_VPORT = 20;
    public static final int OFF_BACKEND_PORT = 22;
    public static final int OFF_BACKEND_ADDR = 24;
    public static final int OFF_PAD = 28;
    public static final StructCodec<LbCtValue> CODEC = StructCodec.of(SIZE, LbCtValue::encode, LbCtValue::decode);

    public LbCtValue {
        Wire.checkU16("service id", serviceId);
        Wire.checkPort(vport);
        Wire.checkPort(backendPort);
    }

    public void encode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        buf.putLong(base + OFF_LAST_SEEN_NS, lastSeenNs);
        buf.putInt(base + OFF_BACKEND_ID, backendId);
        buf.putShort(base + OFF_SERVICE_ID, (short) serviceId);
        buf.putShort(base + OFF_FLAGS, (short) flags);
        Wire.putAddr(buf, base + OFF_VIP, vip);
        Wire.putPort(buf, base + OFF_VPORT, vport);
        Wire.putPort(buf, base + OFF_BACKEND_PORT, backendPort);
        Wire.putAddr(buf, base + OFF_BACKEND_ADDR, backendAddr);
        buf.putInt(base + OFF_PAD, 0);
    }

    public static LbCtValue decode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        return new LbCtValue(buf.getLong(base + OFF_LAST_SEEN_NS), buf.getInt(base + OFF_BACKEND_ID),
                buf.getShort(base + OFF_SERVICE_ID) & 0xFFFF, buf.getShort(base + OFF_FLAGS) & 0xFFFF,
                Wire.getAddr(buf, base + OFF_VIP), Wire.getPort(buf, base + OFF_VPORT),
                Wire.getAddr(buf, base + OFF_BACKEND_ADDR), Wire.getPort(buf, base + OFF_BACKEND_PORT));
    }
}
