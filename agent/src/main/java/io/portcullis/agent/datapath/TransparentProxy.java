package io.portcullis.agent.datapath;

import io.portcullis.proxy.context.ConnectionResolver;
import io.portcullis.proxy.context.PeerLookup;
import java.net.InetSocketAddress;

/**
 * A datapath component that steers connections into the proxy: the agent adds a proxy listener
 * on {@link #listenAddress()} whose accepted connections are resolved by {@link #resolver}.
 */
public interface TransparentProxy {
    InetSocketAddress listenAddress();

    /** @param peers the agent's current ipcache, for the original destination's identity */
    ConnectionResolver resolver(PeerLookup peers);
}
