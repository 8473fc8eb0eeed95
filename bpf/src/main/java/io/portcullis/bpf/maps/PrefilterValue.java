package io.portcullis.bpf.maps;

import java.nio.ByteBuffer;

/** {@code struct prefilter_value} (lib/prefilter.h): packets dropped by the entry, host order. */
public record PrefilterValue(long drops) {
    public static final int SIZE = 8;
    public static final int OFF_DROPS = 0;
    public static final PrefilterValue NEW = new PrefilterValue(0);
    public static final StructCodec<PrefilterValue> CODEC =
            StructCodec.of(SIZE, PrefilterValue::encode, PrefilterValue::decode);

    public void encode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        buf.putLong(base + OFF_DROPS, drops);
    }

    public static PrefilterValue decode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        return new PrefilterValue(buf.getLong(base + OFF_DROPS));
    }
}
