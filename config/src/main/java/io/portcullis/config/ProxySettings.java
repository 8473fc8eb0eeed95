package io.portcullis.config;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * What of the agent's configuration the proxy process runs by. A proxy reports the digest of the
 * settings it started with; when the agent's differ, the agent hands the listeners over to a new
 * proxy process so that the change takes effect without dropping a connection.
 *
 * @param transparent the transparent listener of {@code datapath: bpf} (the pool's host address
 *                    and {@code bpf.proxyPort}), or null
 * @param metricsListen the proxy's Prometheus address ({@code metrics.proxyListen}), or null
 * @param maxTopics   Kafka topic names with a metrics label value of their own ({@code metrics.maxTopics})
 */
public record ProxySettings(List<ListenerConfig> listeners, InetSocketAddress transparent, HttpLimits http,
                            Http2Limits http2, KafkaConfig kafka, String accessLog, int workerThreads, Duration drainTime,
                            InetSocketAddress metricsListen, int maxTopics) {
    public ProxySettings {
        listeners = List.copyOf(listeners);
    }

    public static ProxySettings of(AgentConfig config) {
        InetSocketAddress transparent = config.datapath() == Datapath.BPF
                ? new InetSocketAddress(EndpointPool.hostAddress(config.endpointPool()), config.bpf().proxyPort())
                : null;
        return new ProxySettings(config.listeners(), transparent, config.http(), config.http2(), config.kafka(),
                config.accessLog(), config.workerThreads(), config.proxy().drainTime(), config.metrics().proxyListen(),
                config.metrics().maxTopics());
    }

    /** Equal settings give equal digests: records print every component. */
    public String digest() {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
