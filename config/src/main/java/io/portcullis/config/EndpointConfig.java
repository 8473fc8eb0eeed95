package io.portcullis.config;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A workload declared in the config: its labels give its identity, its IPs find it. */
public record EndpointConfig(String name, Map<String, String> labels, List<InetAddress> ips) {
    public EndpointConfig {
        Objects.requireNonNull(name, "name");
        labels = Map.copyOf(labels);
        ips = List.copyOf(ips);
    }
}
