package io.portcullis.agent;

import io.portcullis.policy.identity.EndpointAddresses;
import io.portcullis.policy.model.NamedPort;
import java.util.List;
import java.util.Objects;

/** An endpoint as the node's policy state needs it: where it is, what identity, and its named ports. */
record NodeEndpoint(EndpointAddresses addresses, List<NamedPort> ports) {
    NodeEndpoint {
        Objects.requireNonNull(addresses, "addresses");
        ports = List.copyOf(ports);
    }
}
