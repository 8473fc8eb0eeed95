package io.portcullis.policy.resolve;

/** Cache key of a connection's rules; identities are compared by number. */
record ConnectionKey(int source, int destination, int port, Protocol protocol) {
}
