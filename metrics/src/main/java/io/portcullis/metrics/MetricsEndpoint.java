package io.portcullis.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;

/** A running Prometheus endpoint ({@code GET /metrics}); closing it frees the address. */
public final class MetricsEndpoint implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(MetricsEndpoint.class.getName());
    private final HTTPServer server;
    private final InetSocketAddress address;

    private MetricsEndpoint(HTTPServer server, InetSocketAddress address) {
        this.server = server;
        this.address = address;
    }

    /**
     * Adds the JVM's metrics to {@code registry} and serves it on {@code address}.
     *
     * @param key the configuration key that set the address, named in the error
     * @throws IllegalArgumentException naming {@code key} when the address cannot be bound (taken,
     *                                  or not an address of this host)
     */
    public static MetricsEndpoint start(InetSocketAddress address, String key, PrometheusRegistry registry) {
        JvmMetrics.builder().register(registry);
        try {
            HTTPServer server = HTTPServer.builder().inetAddress(address.getAddress()).port(address.getPort())
                    .registry(registry).buildAndStart();
            InetSocketAddress bound = new InetSocketAddress(address.getAddress(), server.getPort());
            LOG.log(System.Logger.Level.INFO, "serving Prometheus metrics on http://"
                    + bound.getAddress().getHostAddress() + ":" + bound.getPort() + "/metrics");
            return new MetricsEndpoint(server, bound);
        } catch (IOException e) {
            throw new IllegalArgumentException(key + ": cannot serve metrics on " + address.getAddress().getHostAddress()
                    + ":" + address.getPort() + " (" + e.getMessage() + ")", e);
        }
    }

    /** The bound address (the port chosen by the kernel when 0 was asked for). */
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public void close() {
        server.close();
    }
}
