package io.portcullis.bpf.maps;

import java.net.Inet4Address;
import java.nio.ByteBuffer;

/** {@code struct prefilter_hash_key} (lib/prefilter.h): a blocked source address, network order. */
public record PrefilterHashKey(Inet4Address addr) {
    public static final int SIZE = 4;
    public static final int OFF_ADDR = 0;
    public static final StructCodec<PrefilterHashKey> CODEC =
            StructCodec.of(SIZE, PrefilterHashKey::encode, PrefilterHashKey::decode);

    public void encode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        Wire.putAddr(buf, base + OFF_ADDR, addr);
    }

    public static PrefilterHashKey decode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        return new PrefilterHashKey(Wire.getAddr(buf, base + OFF_ADDR));
    }
}
