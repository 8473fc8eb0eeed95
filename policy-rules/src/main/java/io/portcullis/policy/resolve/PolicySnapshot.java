package io.portcullis.policy.resolve;

import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.model.Protocol;

/** One immutable, compiled revision of all policies; swapped atomically on change. */
public interface PolicySnapshot {
    long revision();

    ConnectionRules connection(Identity source, Identity destination, int port, Protocol protocol);
}
