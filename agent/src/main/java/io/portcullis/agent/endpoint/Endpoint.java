package io.portcullis.agent.endpoint;

import java.util.Map;
import java.util.Objects;

/**
 * A workload the agent plumbed: its own network namespace reached through a veth pair, one IPv4
 * address, and a cgroup that the socket-level datapath uses to recognise its connections.
 *
 * @param hostInterface the host side of the veth pair
 * @param cgroup        absolute path of its cgroup directory
 */
public record Endpoint(String name, Map<String, String> labels, String ip, String netns, String hostInterface,
                       String cgroup) {
    public Endpoint {
        Objects.requireNonNull(name, "name");
        labels = Map.copyOf(labels);
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(netns, "netns");
        Objects.requireNonNull(hostInterface, "hostInterface");
        Objects.requireNonNull(cgroup, "cgroup");
    }
}
