package io.portcullis.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {
    private static HttpResponse<String> get(InetSocketAddress address, String accept) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address.getPort() + "/metrics"))
                .header("Accept", accept).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesTextAndOpenMetricsWithTheJvmsOwnMetrics() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        Counter.builder().name("portcullis_test_events").help("events").register(registry).inc(3);
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), "metrics.listen", registry)) {
            HttpResponse<String> text = get(endpoint.address(), "text/plain");
            HttpResponse<String> open = get(endpoint.address(), "application/openmetrics-text; version=1.0.0");

            assertThat(text.body()).contains("portcullis_test_events_total 3.0").contains("jvm_memory_used_bytes");
            assertThat(text.headers().firstValue("content-type").orElseThrow()).startsWith("text/plain");
            assertThat(open.headers().firstValue("content-type").orElseThrow())
                    .startsWith("application/openmetrics-text");
            assertThat(open.body()).endsWith("# EOF\n");
        }
    }

    @Test
    void aCollectorThatFailsFailsTheWholeScrapeInsteadOfServingPartOfThePage() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        Counter.builder().name("portcullis_test_events").help("events").register(registry).inc();
        MultiCollector unreadable = () -> {
            throw new IllegalStateException("map portcullis_ct_v1 cannot be read");
        };
        registry.register(unreadable);
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), "metrics.listen", registry)) {
            HttpResponse<String> response = get(endpoint.address(), "text/plain");

            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.body()).doesNotContain("portcullis_test_events_total");
        }
    }

    @Test
    void aTakenAddressIsAnErrorNamingTheKey() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), taken.getLocalPort());

            assertThatThrownBy(() -> MetricsEndpoint.start(address, "metrics.proxyListen", new PrometheusRegistry()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("metrics.proxyListen: cannot serve metrics on 127.0.0.1:"
                            + taken.getLocalPort());
        }
    }
}
