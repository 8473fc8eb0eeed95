package io.portcullis.proxy.state;

import io.portcullis.policy.identity.IpCache;
import io.portcullis.proxy.context.Peer;
import io.portcullis.proxy.context.PeerLookup;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.function.Supplier;

/** The proxy's view of the agent's current ipcache; IPv6 peers are world until IPv6 is supported. */
public final class IpCachePeerLookup implements PeerLookup {
    private final Supplier<IpCache> ipCache;

    public IpCachePeerLookup(Supplier<IpCache> ipCache) {
        this.ipCache = ipCache;
    }

    @Override
    public Peer lookup(InetAddress ip) {
        if (!(ip instanceof Inet4Address)) {
            return Peer.world();
        }
        byte[] b = ip.getAddress();
        int address = (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
        IpCache.Entry entry = ipCache.get().lookup(address);
        return new Peer(entry.identity(), entry.endpoint(), entry.identity().labels());
    }
}
