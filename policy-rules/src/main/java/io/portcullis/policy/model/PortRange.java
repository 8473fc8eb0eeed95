package io.portcullis.policy.model;

import io.portcullis.policy.resolve.Protocol;
import java.util.Objects;

/**
 * One {@code ports} item: {@code port} (0 = any) up to {@code endPort} inclusive (0 = just
 * {@code port}), for {@code protocol} ({@code ANY} when not written).
 */
public record PortRange(int port, int endPort, Protocol protocol) {
    public PortRange {
        Objects.requireNonNull(protocol, "protocol");
    }

    public boolean covers(int connectionPort, Protocol connectionProtocol) {
        if (!protocol.covers(connectionProtocol)) {
            return false;
        }
        if (port == 0) {
            return true;
        }
        return connectionPort >= port && connectionPort <= Math.max(port, endPort);
    }

    @Override
    public String toString() {
        String ports = port == 0 ? "any" : endPort > port ? port + "-" + endPort : String.valueOf(port);
        return ports + "/" + protocol;
    }
}
