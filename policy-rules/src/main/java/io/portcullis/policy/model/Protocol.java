package io.portcullis.policy.model;

/**
 * L4 protocol of a port rule or a connection; {@code ANY} only appears in rules. As in Cilium,
 * {@code ANY} in {@code toPorts} stands for TCP, UDP and SCTP: ICMP is reached through
 * {@code icmps}, where the "port" is the ICMP type, or through a rule without ports.
 */
public enum Protocol {
    TCP(6),
    UDP(17),
    SCTP(132),
    ICMP(1),
    ICMPV6(58),
    ANY(0);

    private final int ipProtocol;

    Protocol(int ipProtocol) {
        this.ipProtocol = ipProtocol;
    }

    /**
     * Whether a rule for this protocol covers a connection of {@code connection}. Asked with
     * {@code ANY} ("a protocol no rule names"), no rule with a protocol covers it: only rules
     * without ports do.
     */
    public boolean covers(Protocol connection) {
        if (connection == ANY) {
            return false;
        }
        return this == connection || (this == ANY && !connection.isIcmp());
    }

    /** ICMP or ICMPv6: "ports" are message types, and never wildcards. */
    public boolean isIcmp() {
        return this == ICMP || this == ICMPV6;
    }

    /**
     * The IPPROTO_* number the kernel uses.
     *
     * @throws IllegalStateException for {@code ANY}, which is no protocol on the wire
     */
    public int ipProtocol() {
        if (this == ANY) {
            throw new IllegalStateException("ANY has no IP protocol number");
        }
        return ipProtocol;
    }
}
