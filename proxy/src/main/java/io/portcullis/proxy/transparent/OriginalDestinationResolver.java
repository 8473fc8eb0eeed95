package io.portcullis.proxy.transparent;

import io.netty.channel.Channel;
import io.portcullis.bpf.maps.OrigDstValue;
import io.portcullis.bpf.maps.ProxyMark;
import io.portcullis.bpf.maps.SockKey;
import io.portcullis.policy.identity.Identity;
import io.portcullis.proxy.context.ConnectionContext;
import io.portcullis.proxy.context.ConnectionResolver;
import io.portcullis.proxy.context.Endpoint;
import io.portcullis.proxy.context.Peer;
import io.portcullis.proxy.context.PeerLookup;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Resolves connections that connect4 steered to the proxy: the accepted connection's (peer,
 * local) 4-tuple keys the original destination and the source identity the kernel remembered.
 * The source identity is the kernel's (found by the workload's cgroup), not a guess from its
 * address; the upstream is the original destination, marked with that identity. No entry means the connection did not come
 * through steering: it is refused (fail closed).
 */
public final class OriginalDestinationResolver implements ConnectionResolver {
    private final Function<SockKey, Optional<OrigDstValue>> origDst;
    private final IntFunction<Identity> identities;
    private final PeerLookup peers;

    /** @param identities the identity of a number, or null when the agent does not know it */
    public OriginalDestinationResolver(Function<SockKey, Optional<OrigDstValue>> origDst, IntFunction<Identity> identities,
                                PeerLookup peers) {
        this.origDst = origDst;
        this.identities = identities;
        this.peers = peers;
    }

    @Override
    public ConnectionContext resolve(Channel accepted) {
        InetSocketAddress client = (InetSocketAddress) accepted.remoteAddress();
        InetSocketAddress local = (InetSocketAddress) accepted.localAddress();
        if (!(client.getAddress() instanceof Inet4Address clientIp) || !(local.getAddress() instanceof Inet4Address localIp)) {
            throw new IllegalStateException("transparent proxying is IPv4 only; refusing " + client);
        }
        SockKey key = new SockKey(clientIp, localIp, client.getPort(), local.getPort());
        OrigDstValue orig = origDst.apply(key).orElseThrow(() -> new IllegalStateException("no original destination for "
                + client + " -> " + local + ": not a steered connection"));
        Identity identity = identities.apply(orig.srcIdentity());
        if (identity == null) {
            throw new IllegalStateException("connection from " + client + " carries unknown identity "
                    + orig.srcIdentity());
        }
        Peer sourcePeer = peers.lookup(clientIp);
        String endpointName = sourcePeer.identity().id() == identity.id() ? sourcePeer.endpoint() : null;
        Peer destination = peers.lookup(orig.addr());
        InetSocketAddress upstream = new InetSocketAddress(orig.addr(), orig.port());
        // The mark lets bpf_lxc judge the upstream packets as the client, whose rules the proxy enforces.
        return new ConnectionContext(new Endpoint(identity, endpointName, identity.labels(), clientIp, client.getPort()),
                Endpoint.of(destination, orig.addr(), orig.port()), upstream, ProxyMark.of(identity.id()));
    }
}
