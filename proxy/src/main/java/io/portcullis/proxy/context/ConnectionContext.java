package io.portcullis.proxy.context;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Who talks to whom on one accepted connection, fixed for its lifetime.
 *
 * @param source      the client
 * @param destination the server the client meant to reach (policy's destination)
 * @param upstream    where the proxy connects to reach it (the original destination)
 */
public record ConnectionContext(Endpoint source, Endpoint destination, InetSocketAddress upstream) {
    public ConnectionContext {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(upstream, "upstream");
        if (upstream.isUnresolved()) {
            throw new IllegalArgumentException("upstream address must be resolved: " + upstream);
        }
    }
}
