package io.portcullis.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The agent's configuration, as loaded by {@link AgentConfigLoader}.
 *
 * @param accessLog     {@code stdout}, {@code off}, or a file path
 * @param workerThreads proxy event-loop threads; 0 means one per core
 */
public record AgentConfig(Datapath datapath, Path policyDir, String accessLog, int workerThreads,
                          List<EndpointConfig> endpoints, List<ListenerConfig> listeners, HttpConfig http) {
    public AgentConfig {
        Objects.requireNonNull(datapath, "datapath");
        Objects.requireNonNull(policyDir, "policyDir");
        Objects.requireNonNull(accessLog, "accessLog");
        endpoints = List.copyOf(endpoints);
        listeners = List.copyOf(listeners);
        Objects.requireNonNull(http, "http");
    }
}
