package io.portcullis.proxy.context;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Who talks to whom on one accepted connection, fixed for its lifetime.
 *
 * @param source      the client
 * @param destination the server the client meant to reach (policy's destination)
 * @param upstream    where the proxy connects to reach it (the original destination)
 * @param upstreamMark {@code SO_MARK} for the upstream socket, so the kernel datapath knows the
 *                    proxy made it and for whom; 0 for none
 */
public record ConnectionContext(Endpoint source, Endpoint destination, InetSocketAddress upstream, int upstreamMark) {
    public ConnectionContext(Endpoint source, Endpoint destination, InetSocketAddress upstream) {
        this(source, destination, upstream, 0);
    }

    public ConnectionContext {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(upstream, "upstream");
        if (upstream.isUnresolved()) {
            throw new IllegalArgumentException("upstream address must be resolved: " + upstream);
        }
    }
}
