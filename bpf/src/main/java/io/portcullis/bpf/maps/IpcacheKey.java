package io.portcullis.bpf.maps;

import java.net.Inet4Address;
import java.nio.ByteBuffer;

/**
 * {@code struct ipcache_key} (lib/ipcache.h), key of {@link MapNames#IPCACHE}: an IPv4 prefix.
 * {@code prefixlen} is host order, {@code addr} network order. The address is stored with the
 * bits beyond the prefix cleared, as the LPM trie compares it.
 */
public record IpcacheKey(int prefixLen, Inet4Address addr) {
    public static final int SIZE = 8;
    public static final int OFF_PREFIXLEN = 0;
    public static final int OFF_ADDR = 4;
    public static final StructCodec<IpcacheKey> CODEC = StructCodec.of(SIZE, IpcacheKey::encode, IpcacheKey::decode);

    public IpcacheKey {
        Wire.checkPrefixLength(prefixLen, 32);
        addr = Wire.mask(addr, prefixLen);
    }

    public void encode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        buf.putInt(base + OFF_PREFIXLEN, prefixLen);
        Wire.putAddr(buf, base + OFF_ADDR, addr);
    }

    public static IpcacheKey decode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        return new IpcacheKey(buf.getInt(base + OFF_PREFIXLEN), Wire.getAddr(buf, base + OFF_ADDR));
    }
}
