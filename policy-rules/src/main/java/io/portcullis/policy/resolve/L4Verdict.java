package io.portcullis.policy.resolve;

/** The L3/L4 verdict for a (source, destination, port, protocol) in both directions together. */
public enum L4Verdict {
    /** No rule allows it, or a deny rule matches: drop / refuse. */
    DENIED,
    /** Allowed without L7 inspection. */
    ALLOWED,
    /** Allowed to the proxy, which judges every request against the L7 rules. */
    L7
}
