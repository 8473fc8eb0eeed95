package io.portcullis.proxy.context;

import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.Labels;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One side of a proxied connection as policy and the access log see it.
 *
 * @param identity the security identity (a reserved one such as {@link Identity#WORLD} for
 *                 addresses outside any endpoint)
 * @param endpoint the endpoint's name, or null when the address is not a local endpoint
 * @param labels   the labels to log (usually the identity's)
 * @param ip       the address
 * @param port     the port
 */
public record Endpoint(Identity identity, String endpoint, Labels labels, InetAddress ip, int port) {
    public Endpoint {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(ip, "ip");
    }

    public static Endpoint of(Peer peer, InetAddress ip, int port) {
        return new Endpoint(peer.identity(), peer.endpoint(), peer.labels(), ip, port);
    }
}
