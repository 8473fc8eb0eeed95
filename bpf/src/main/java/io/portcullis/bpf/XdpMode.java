package io.portcullis.bpf;

/** How an XDP program is attached ({@code XDP_FLAGS_*_MODE}). */
public enum XdpMode {
    /** In the generic network stack: works on every interface (veth, lo), slower. */
    GENERIC(1 << 1),
    /** In the driver: fastest, needs driver support (or veth with XDP on the peer). */
    NATIVE(1 << 2);

    private final int flags;

    XdpMode(int flags) {
        this.flags = flags;
    }

    int flags() {
        return flags;
    }
}
