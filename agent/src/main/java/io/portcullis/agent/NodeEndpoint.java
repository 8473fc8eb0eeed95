package io.portcullis.agent;

import io.portcullis.policy.identity.EndpointAddresses;
import io.portcullis.policy.model.NamedPort;
import java.util.List;
import java.util.Objects;

/**
 * An endpoint as the node's policy state needs it: where it is, what identity, its named ports,
 * and whether its policy is in audit mode of its own.
 */
record NodeEndpoint(EndpointAddresses addresses, List<NamedPort> ports, boolean audit) {
    NodeEndpoint {
        Objects.requireNonNull(addresses, "addresses");
        ports = List.copyOf(ports);
    }

    /** An endpoint that enforces its policy (unless the node is in audit mode). */
    NodeEndpoint(EndpointAddresses addresses, List<NamedPort> ports) {
        this(addresses, ports, false);
    }
}
