package io.portcullis.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The agent's configuration, as loaded by {@link AgentConfigLoader}.
 *
 * @param accessLog     {@code stdout}, {@code off}, or a file path
 * @param workerThreads proxy event-loop threads; 0 means one per core
 * @param http2         HTTP/2 limits ({@code http2:})
 * @param kafka         Kafka limits ({@code kafka:})
 * @param apiSocket     the unix socket of the agent's local API
 * @param stateDir      where the agent keeps what must survive a restart (endpoints)
 * @param endpointPool  IPv4 prefix that endpoints the agent creates take their addresses from;
 *                      blackholed on the host as a whole
 * @param bpf           settings of {@code datapath: bpf}
 * @param uplink        the node's uplink device, where the XDP CIDR prefilter runs; null for none
 * @param services      services the kernel load-balances ({@code datapath: bpf}); read-only through the API
 * @param proxy         how the proxy process runs beside the agent
 * @param metrics       the Prometheus endpoints of the agent and the proxy ({@code metrics:})
 * @param policyAuditMode node-wide audit mode: what policy denies (at L3/L4 and L7) is forwarded and
 *                      reported as audit, as Cilium's {@code policy-audit-mode}
 * @param dnsProxy      the DNS proxy of {@code datapath: bpf} ({@code dnsProxy:})
 * @param source        the file this configuration was loaded from (the supervised proxy reads it too)
 */
public record AgentConfig(Datapath datapath, Path policyDir, String accessLog, int workerThreads,
                          List<EndpointConfig> endpoints, List<ListenerConfig> listeners, HttpLimits http,
                          Http2Limits http2, KafkaConfig kafka, Path apiSocket, Path stateDir, String endpointPool, BpfConfig bpf,
                          String uplink, List<ServiceConfig> services, ProxyConfig proxy, MetricsConfig metrics,
                          boolean policyAuditMode, DnsProxyConfig dnsProxy, Path source) {
    public static final Path DEFAULT_API_SOCKET = Path.of("/run/portcullis/agent.sock");
    public static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/portcullis");
    public static final String DEFAULT_ENDPOINT_POOL = "10.200.0.0/16";

    public AgentConfig {
        Objects.requireNonNull(datapath, "datapath");
        Objects.requireNonNull(policyDir, "policyDir");
        Objects.requireNonNull(accessLog, "accessLog");
        endpoints = List.copyOf(endpoints);
        listeners = List.copyOf(listeners);
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(http2, "http2");
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(apiSocket, "apiSocket");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(endpointPool, "endpointPool");
        Objects.requireNonNull(bpf, "bpf");
        services = List.copyOf(services);
        Objects.requireNonNull(proxy, "proxy");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(dnsProxy, "dnsProxy");
        Objects.requireNonNull(source, "source");
    }
}
