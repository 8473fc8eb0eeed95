package io.portcullis.config;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A workload declared in the config: its namespace and labels give its identity, its IPs find it.
 *
 * @param namespace {@code default} when the config does not name one
 */
public record EndpointConfig(String name, String namespace, Map<String, String> labels, List<InetAddress> ips) {
    public EndpointConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(namespace, "namespace");
        labels = Map.copyOf(labels);
        ips = List.copyOf(ips);
    }
}
