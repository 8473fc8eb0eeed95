package io.portcullis.proxy.context;

import java.net.InetAddress;

/**
 * Maps an IP address to its identity (the agent's ipcache). Called once per side on every
 * accepted connection, on an event-loop thread: it must not block.
 */
@FunctionalInterface
public interface PeerLookup {
    /** Never null: addresses the agent does not know are {@link Peer#world()}. */
    Peer lookup(InetAddress ip);
}
