package io.portcullis.bpf.maps;

/**
 * The {@code SO_MARK} the proxy puts on its upstream sockets (lib/common.h): the magic nibble
 * {@code 0x0A00} that bpf_lxc recognises, with the original source's 24-bit identity in bits
 * 16..31 (low 16 bits) and 0..7 (high 8 bits), as Cilium lays out identity marks. bpf_lxc judges
 * a marked packet as that identity.
 */
public final class ProxyMark {
    public static final int MAGIC_MASK = 0x0F00;
    public static final int MAGIC_PROXY = 0x0A00;
    public static final int MAX_IDENTITY = 0xFF_FFFF;

    private ProxyMark() {
    }

    /** The mark for a proxy connection on behalf of identity (0: judge by source address). */
    public static int of(int identity) {
        if (identity < 0 || identity > MAX_IDENTITY) {
            throw new IllegalArgumentException("identity out of range 0.." + MAX_IDENTITY + ": " + identity);
        }
        return (identity & 0xFFFF) << 16 | MAGIC_PROXY | identity >>> 16;
    }

    public static boolean isProxy(int mark) {
        return (mark & MAGIC_MASK) == MAGIC_PROXY;
    }

    public static int identity(int mark) {
        return mark >>> 16 | (mark & 0xFF) << 16;
    }
}
