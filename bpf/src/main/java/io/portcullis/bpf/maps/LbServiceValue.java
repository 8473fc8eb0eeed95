package io.portcullis.bpf.maps;

import java.nio.ByteBuffer;

/**
 * {@code struct lb_service_value} (lib/lb.h), all host order: in a backend slot the backend id; in
 * the master the number of slots (0: the frontend refuses) and the algorithm
 * ({@code enum lb_algorithm}); the service id in both. Byte 11 is padding, written as zero.
 */
public record LbServiceValue(int backendId, int count, int serviceId, int algorithm) {
    public static final int SIZE = 12;
    public static final int OFF_BACKEND_ID = 0;
    public static final int OFF_COUNT = 4;
    public static final int OFF_SERVICE_ID = 8;
    public static final int OFF_ALGORITHM = 10;
    public static final int OFF_PAD = 11;
    public static final StructCodec<LbServiceValue> CODEC = StructCodec.of(SIZE, LbServiceValue::encode,
            LbServiceValue::decode);

    public LbServiceValue {
        Wire.checkU16("service id", serviceId);
        Wire.checkUnsignedByte("algorithm", algorithm);
    }

    public static LbServiceValue master(int count, int serviceId, int algorithm) {
        return new LbServiceValue(0, count, serviceId, algorithm);
    }

    public static LbServiceValue slot(int backendId, int serviceId) {
        return new LbServiceValue(backendId, 0, serviceId, 0);
    }

    public void encode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        buf.putInt(base + OFF_BACKEND_ID, backendId);
        buf.putInt(base + OFF_COUNT, count);
        buf.putShort(base + OFF_SERVICE_ID, (short) serviceId);
        buf.put(base + OFF_ALGORITHM, (byte) algorithm);
        buf.put(base + OFF_PAD, (byte) 0);
    }

    public static LbServiceValue decode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        return new LbServiceValue(buf.getInt(base + OFF_BACKEND_ID), buf.getInt(base + OFF_COUNT),
                buf.getShort(base + OFF_SERVICE_ID) & 0xFFFF, buf.get(base + OFF_ALGORITHM) & 0xFF);
    }
}
