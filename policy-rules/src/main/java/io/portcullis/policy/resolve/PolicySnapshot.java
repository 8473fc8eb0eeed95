package io.portcullis.policy.resolve;

import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.model.Protocol;

/** One immutable, compiled revision of all policies; swapped atomically on change. */
public interface PolicySnapshot {
    long revision();

    ConnectionRules connection(Identity source, Identity destination, int port, Protocol protocol);

    /**
     * Whether the denials of {@code endpoint}'s rules are audited (the endpoint or the node in
     * audit mode); null, an address of no endpoint, is never audited.
     */
    default Audit audit(String endpoint) {
        return Audit.NONE;
    }
}
