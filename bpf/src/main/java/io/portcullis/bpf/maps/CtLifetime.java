package io.portcullis.bpf.maps;

import java.time.Duration;

/**
 * C {@code enum ct_lifetime} (lib/conntrack.h): how long a conntrack entry lives after its last
 * packet. The BPF programs treat an entry past its lifetime as absent; the agent's sweep uses the
 * same rule to reclaim it.
 */
public enum CtLifetime {
    TCP_SYN(60),
    TCP(21_600),
    TCP_CLOSING(10),
    NON_TCP(60);

    private static final int TCP_PROTOCOL = 6;
    private static final int CLOSING = CtValue.FLAG_TX_CLOSING | CtValue.FLAG_RX_CLOSING;

    private final int seconds;

    CtLifetime(int seconds) {
        this.seconds = seconds;
    }

    public int seconds() {
        return seconds;
    }

    public Duration duration() {
        return Duration.ofSeconds(seconds);
    }

    /** The lifetime the programs apply to an entry (C {@code ct_lifetime_ns}). */
    public static CtLifetime of(int protocol, int flags) {
        if (protocol != TCP_PROTOCOL) {
            return NON_TCP;
        }
        if ((flags & CLOSING) == CLOSING) {
            return TCP_CLOSING;
        }
        return (flags & CtValue.FLAG_SEEN_NON_SYN) != 0 ? TCP : TCP_SYN;
    }

    /**
     * Nanoseconds the entry has left at {@code nowNs} (CLOCK_MONOTONIC, as {@code bpf_ktime_get_ns}
     * and, on Linux, {@link System#nanoTime}); zero or less when it has expired.
     */
    public static long remainingNs(CtKey key, CtValue value, long nowNs) {
        return remainingNs(key.protocol(), value.flags(), value.lastSeenNs(), nowNs);
    }

    /** The same for any tracker's entry (bpf_lb's too), from its protocol, flags and last packet. */
    public static long remainingNs(int protocol, int flags, long lastSeenNs, long nowNs) {
        return of(protocol, flags).duration().toNanos() - (nowNs - lastSeenNs);
    }
}
