package io.portcullis.policy.identity;

import java.util.List;
import java.util.Objects;

/** What the ipcache needs to know of an endpoint: its name, its labels and its IPv4 addresses. */
public record EndpointAddresses(String name, Labels labels, List<String> ipv4Addresses) {
    public EndpointAddresses {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(labels, "labels");
        ipv4Addresses = List.copyOf(ipv4Addresses);
    }
}
