package io.portcullis.bpf.maps;

import java.net.Inet4Address;
import java.nio.ByteBuffer;

/**
 * An IPv4 prefix as an LPM trie's key: {@code struct ipcache_key} (lib/ipcache.h, {@link MapNames#IPCACHE})
 * and {@code struct prefilter_lpm_key} (lib/prefilter.h), which share this layout (StructLayoutTest
 * checks both). {@code prefixlen} is host order, {@code addr} network order. The address is stored
 * with the bits beyond the prefix cleared, as the LPM trie compares it.
 */
public record Ipv4PrefixKey(int prefixLen, Inet4Address addr) {
    public static final int SIZE = 8;
    public static final int OFF_PREFIXLEN = 0;
    public static final int OFF_ADDR = 4;
    public static final StructCodec<Ipv4PrefixKey> CODEC =
            StructCodec.of(SIZE, Ipv4PrefixKey::encode, Ipv4PrefixKey::decode);

    public Ipv4PrefixKey {
        Wire.checkPrefixLength(prefixLen, 32);
        addr = Wire.mask(addr, prefixLen);
    }

    public void encode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        buf.putInt(base + OFF_PREFIXLEN, prefixLen);
        Wire.putAddr(buf, base + OFF_ADDR, addr);
    }

    public static Ipv4PrefixKey decode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        return new Ipv4PrefixKey(buf.getInt(base + OFF_PREFIXLEN), Wire.getAddr(buf, base + OFF_ADDR));
    }
}
