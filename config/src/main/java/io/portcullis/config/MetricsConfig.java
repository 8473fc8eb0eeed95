package io.portcullis.config;

import java.net.InetSocketAddress;

/**
 * The {@code metrics:} section: where the agent and the proxy process serve Prometheus metrics.
 * Off (both null) unless written.
 *
 * @param listen      the agent's metrics address, or null for none
 * @param proxyListen the proxy process's metrics address, or null for none
 * @param allowRemote whether an address other than loopback may be used; metrics name
 *                    policies, identities and services, so they stay on the node unless asked
 * @param maxTopics   how many distinct Kafka topic names get a label value of their own; later
 *                    ones are counted as {@code other}
 */
public record MetricsConfig(InetSocketAddress listen, InetSocketAddress proxyListen, boolean allowRemote,
                            int maxTopics) {
    public static final int DEFAULT_MAX_TOPICS = 100;
    public static final MetricsConfig OFF = new MetricsConfig(null, null, false, DEFAULT_MAX_TOPICS);
}
