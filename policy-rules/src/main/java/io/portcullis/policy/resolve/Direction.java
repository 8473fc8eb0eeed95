package io.portcullis.policy.resolve;

/** Which side's rules: the destination's {@code ingress} or the source's {@code egress}. */
public enum Direction {
    INGRESS,
    EGRESS;

    /** The access-log spelling. */
    public String wire() {
        return this == INGRESS ? "ingress" : "egress";
    }
}
