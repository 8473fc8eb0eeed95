package io.portcullis.bpf.maps;

import java.net.Inet4Address;
import java.nio.ByteBuffer;

/**
 * {@code struct endpoint_value} (lib/sockmap.h), value of {@link MapNames#ENDPOINTS} keyed by a
 * cgroup v2 id (u64, host order): the identity (host order) and address (network order) of the
 * endpoint whose workloads run in that cgroup.
 */
public record EndpointValue(int identity, Inet4Address addr) {
    public static final int SIZE = 8;
    public static final int OFF_IDENTITY = 0;
    public static final int OFF_ADDR = 4;
    public static final StructCodec<EndpointValue> CODEC =
            StructCodec.of(SIZE, EndpointValue::encode, EndpointValue::decode);

    public void encode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        buf.putInt(base + OFF_IDENTITY, identity);
        Wire.putAddr(buf, base + OFF_ADDR, addr);
    }

    public static EndpointValue decode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        return new EndpointValue(buf.getInt(base + OFF_IDENTITY), Wire.getAddr(buf, base + OFF_ADDR));
    }
}
