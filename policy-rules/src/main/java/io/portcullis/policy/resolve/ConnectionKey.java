package io.portcullis.policy.resolve;

import io.portcullis.policy.model.Protocol;

/** Cache key of a connection's rules; identities are compared by number. */
record ConnectionKey(int source, int destination, int port, Protocol protocol) {
}
