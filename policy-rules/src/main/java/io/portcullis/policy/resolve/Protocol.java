package io.portcullis.policy.resolve;

/** L4 protocol of a port rule or a connection; {@code ANY} only appears in rules. */
public enum Protocol {
    TCP,
    UDP,
    SCTP,
    ANY;

    public boolean covers(Protocol connection) {
        return this == ANY || this == connection;
    }
}
