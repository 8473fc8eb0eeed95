package io.portcullis.proxy.context;

import io.netty.channel.Channel;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The {@code datapath: none} resolver: every connection accepted on the listener goes to one
 * configured upstream. The source identity comes from the client's IP, the destination identity
 * from the upstream's IP, both through the agent's {@link PeerLookup}; the policy port is the
 * upstream port.
 */
public final class StaticUpstreamResolver implements ConnectionResolver {
    private final InetSocketAddress upstream;
    private final PeerLookup peers;

    public StaticUpstreamResolver(InetSocketAddress upstream, PeerLookup peers) {
        if (upstream.isUnresolved()) {
            throw new IllegalArgumentException("upstream must be an ip:port, got " + upstream);
        }
        this.upstream = upstream;
        this.peers = Objects.requireNonNull(peers, "peers");
    }

    @Override
    public ConnectionContext resolve(Channel accepted) {
        InetSocketAddress client = (InetSocketAddress) accepted.remoteAddress();
        Peer source = Objects.requireNonNull(peers.lookup(client.getAddress()), "peer lookup returned null");
        Peer destination = Objects.requireNonNull(peers.lookup(upstream.getAddress()), "peer lookup returned null");
        return new ConnectionContext(Endpoint.of(source, client.getAddress(), client.getPort()),
                Endpoint.of(destination, upstream.getAddress(), upstream.getPort()), upstream);
    }
}
