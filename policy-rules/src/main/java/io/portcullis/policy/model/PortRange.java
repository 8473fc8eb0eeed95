package io.portcullis.policy.model;

import java.util.Objects;

/**
 * One {@code ports} item, or one {@code icmps} field. A number {@code port} (0 = any) up to
 * {@code endPort} inclusive (0 = just {@code port}); or a {@code name} (an IANA service name such
 * as {@code http-8080}) that the endpoint on the named side declares; for {@code protocol}
 * ({@code ANY} when not written). For ICMP and ICMPv6 the port is the message type and type 0
 * (echo reply) is a type like any other, not a wildcard.
 *
 * @param name the port name, lower case, or null for a numbered port
 */
public record PortRange(int port, int endPort, String name, Protocol protocol) {
    public PortRange {
        Objects.requireNonNull(protocol, "protocol");
        if (name != null && (port != 0 || endPort != 0)) {
            throw new IllegalArgumentException("a named port has no number");
        }
    }

    public PortRange(int port, int endPort, Protocol protocol) {
        this(port, endPort, null, protocol);
    }

    /** An {@code icmps} field: one message type of ICMP or ICMPv6. */
    public static PortRange icmpType(Protocol protocol, int type) {
        if (!protocol.isIcmp()) {
            throw new IllegalArgumentException(protocol + " is not ICMP");
        }
        return new PortRange(type, 0, null, protocol);
    }

    public boolean isNamed() {
        return name != null;
    }

    /** Whether the port is any port of the protocol (numbered 0, not ICMP). */
    public boolean isWildcard() {
        return name == null && port == 0 && !protocol.isIcmp();
    }

    /** @param names the named side's ports, for a named range */
    public boolean covers(int connectionPort, Protocol connectionProtocol, PortNames names) {
        if (!protocol.covers(connectionProtocol)) {
            return false;
        }
        if (name != null) {
            return names.names(name, connectionPort, connectionProtocol);
        }
        if (isWildcard()) {
            return true;
        }
        return connectionPort >= port && connectionPort <= Math.max(port, endPort);
    }

    @Override
    public String toString() {
        if (protocol.isIcmp()) {
            return protocol + " type " + port;
        }
        String ports = name != null ? name : port == 0 ? "any" : endPort > port ? port + "-" + endPort
                : String.valueOf(port);
        return ports + "/" + protocol;
    }
}
