package io.portcullis.bpf.maps;

import java.net.Inet4Address;
import java.nio.ByteBuffer;

/**
 * {@code struct prefilter_lpm_key} (lib/prefilter.h): a blocked prefix; {@code prefixlen} host
 * order, {@code addr} network order with the bits beyond the prefix cleared.
 */
public record PrefilterLpmKey(int prefixLen, Inet4Address addr) {
    public static final int SIZE = 8;
    public static final int OFF_PREFIXLEN = 0;
    public static final int OFF_ADDR = 4;
    public static final StructCodec<PrefilterLpmKey> CODEC =
            StructCodec.of(SIZE, PrefilterLpmKey::encode, PrefilterLpmKey::decode);

    public PrefilterLpmKey {
        Wire.checkPrefixLength(prefixLen, 32);
        addr = Wire.mask(addr, prefixLen);
    }

    public void encode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        buf.putInt(base + OFF_PREFIXLEN, prefixLen);
        Wire.putAddr(buf, base + OFF_ADDR, addr);
    }

    public static PrefilterLpmKey decode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        return new PrefilterLpmKey(buf.getInt(base + OFF_PREFIXLEN), Wire.getAddr(buf, base + OFF_ADDR));
    }
}
