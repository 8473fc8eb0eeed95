package io.portcullis.config;

/** How connections reach the proxy. */
public enum Datapath {
    /** Explicit reverse proxy: the agent listens on configured ports and forwards to fixed upstreams. */
    NONE,
    /** Transparent steering by eBPF programs in the kernel. */
    BPF
}
