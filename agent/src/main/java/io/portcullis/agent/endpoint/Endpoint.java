package io.portcullis.agent.endpoint;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.portcullis.policy.identity.Labels;
import io.portcullis.policy.model.NamedPort;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A workload the agent plumbed: its own network namespace reached through a veth pair, one IPv4
 * address, and a cgroup that the socket-level datapath uses to recognise its connections. Its
 * namespace and labels give its identity ({@link #identityLabels}); the ports it declares by name
 * are what {@code toPorts} named ports stand for.
 *
 * @param namespace     {@code default} for endpoints recorded before endpoints had namespaces
 * @param labels        as given, without a source ({@code k8s:} is implied) or with one
 * @param ports         the ports declared by name; empty for endpoints recorded before
 * @param hostInterface the host side of the veth pair
 * @param cgroup        absolute path of its cgroup directory
 * @param audit         whether its policy is in audit mode ({@code endpoint config NAME audit=on}):
 *                      what its rules deny is forwarded and reported as audit; false for endpoints
 *                      recorded before
 */
public record Endpoint(String name, String namespace, Map<String, String> labels, List<NamedPort> ports, String ip,
                       String netns, String hostInterface, String cgroup, boolean audit) {
    /** A new endpoint: enforcing, not in audit mode. */
    public Endpoint(String name, String namespace, Map<String, String> labels, List<NamedPort> ports, String ip,
                    String netns, String hostInterface, String cgroup) {
        this(name, namespace, labels, ports, ip, netns, hostInterface, cgroup, false);
    }

    @JsonCreator
    public Endpoint {
        Objects.requireNonNull(name, "name");
        namespace = Labels.checkNamespace(namespace == null ? Labels.DEFAULT_NAMESPACE : namespace);
        labels = Map.copyOf(labels);
        ports = ports == null ? List.of() : List.copyOf(ports);
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(netns, "netns");
        Objects.requireNonNull(hostInterface, "hostInterface");
        Objects.requireNonNull(cgroup, "cgroup");
    }

    /** This endpoint with its audit mode switched {@code on} or off. */
    public Endpoint withAudit(boolean on) {
        return new Endpoint(name, namespace, labels, ports, ip, netns, hostInterface, cgroup, on);
    }

    /** The labels its identity is allocated for: its own plus its namespace. */
    public Labels identityLabels() {
        return Labels.ofEndpoint(namespace, labels);
    }
}
