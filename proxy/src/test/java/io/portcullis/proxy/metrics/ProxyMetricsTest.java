package io.portcullis.proxy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.resolve.Direction;
import io.portcullis.proxy.accesslog.AccessLogEntry;
import io.portcullis.proxy.accesslog.AccessLogEntry.Type;
import io.portcullis.proxy.accesslog.AccessLogEntry.Verdict;
import io.portcullis.proxy.context.Endpoint;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProxyMetricsTest {
    private static final Endpoint PEER = new Endpoint(Identity.WORLD, null, Identity.WORLD.labels(),
            InetAddress.getLoopbackAddress(), 80);
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ProxyMetrics metrics = new ProxyMetrics(registry, 1);

    private static AccessLogEntry http(Type type, Verdict verdict, Direction point, String method, int code,
                                       long latencyNs) {
        return new AccessLogEntry(Instant.now(), type, verdict, point, "http", PEER, PEER,
                new AccessLogEntry.Http(method, "/x", "h", "HTTP/1.1", code), "default/p", "r", latencyNs);
    }

    private static AccessLogEntry kafka(List<String> topics, Integer errorCode) {
        return new AccessLogEntry(Instant.now(), Type.RESPONSE, Verdict.FORWARDED, Direction.EGRESS, "kafka", PEER,
                PEER, null, "default/k", "r", 2_000_000L, null,
                new AccessLogEntry.Kafka("Produce", 9, 1, "c", topics, errorCode));
    }

    private String scrape() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void forwardedAndDeniedRequestsAreCountedAtTheDecisionAndTheirResponsesByStatus() throws Exception {
        metrics.log(http(Type.REQUEST, Verdict.FORWARDED, Direction.INGRESS, "GET", 0, -1));
        metrics.log(http(Type.RESPONSE, Verdict.FORWARDED, Direction.INGRESS, "GET", 200, 5_000_000L));
        metrics.log(http(Type.REQUEST, Verdict.DENIED, Direction.INGRESS, "DELETE", 0, -1));
        metrics.log(http(Type.RESPONSE, Verdict.DENIED, Direction.INGRESS, "DELETE", 403, 10_000L));

        assertThat(scrape())
                .contains("portcullis_policy_l7_total{proxy_type=\"http\",rule=\"received\"} 2.0")
                .contains("portcullis_policy_l7_total{proxy_type=\"http\",rule=\"forwarded\"} 1.0")
                .contains("portcullis_policy_l7_total{proxy_type=\"http\",rule=\"denied\"} 1.0")
                .contains("portcullis_policy_verdicts_total{action=\"allowed\",direction=\"ingress\",match=\"l7/http\"} 1.0")
                .contains("portcullis_policy_verdicts_total{action=\"denied\",direction=\"ingress\",match=\"l7/http\"} 1.0")
                .contains("portcullis_http_requests_total{method=\"GET\",protocol=\"HTTP/1.1\",status=\"200\"} 1.0")
                .contains("portcullis_http_requests_total{method=\"DELETE\",protocol=\"HTTP/1.1\",status=\"403\"} 1.0")
                .contains("portcullis_proxy_upstream_reply_seconds_count{proxy_type=\"http\"} 1")
                .contains("portcullis_proxy_upstream_reply_seconds_bucket{proxy_type=\"http\",le=\"0.005\"} 1")
                .contains("portcullis_http_request_duration_seconds_count{method=\"DELETE\"} 1");
    }

    @Test
    void anAuditedRequestIsForwardedAtL7AndAnAuditVerdict() throws Exception {
        metrics.log(http(Type.REQUEST, Verdict.AUDIT, Direction.INGRESS, "GET", 0, -1));
        metrics.log(http(Type.RESPONSE, Verdict.FORWARDED, Direction.INGRESS, "GET", 200, 5_000_000L));

        assertThat(scrape())
                .contains("portcullis_policy_l7_total{proxy_type=\"http\",rule=\"forwarded\"} 1.0")
                .contains("portcullis_policy_verdicts_total{action=\"audit\",direction=\"ingress\","
                        + "match=\"l7/http\"} 1.0")
                .doesNotContain("action=\"denied\"").doesNotContain("rule=\"denied\"");
    }

    @Test
    void inputRefusedBeforeAnyDecisionIsAParseErrorAndMethodsOutsideTheStandardOnesAreOther() throws Exception {
        metrics.log(http(Type.RESPONSE, Verdict.ERROR, null, "BREW", 400, -1));

        assertThat(scrape())
                .contains("portcullis_policy_l7_total{proxy_type=\"http\",rule=\"received\"} 1.0")
                .contains("portcullis_policy_l7_total{proxy_type=\"http\",rule=\"parse_errors\"} 1.0")
                .contains("portcullis_http_requests_total{method=\"other\",protocol=\"HTTP/1.1\",status=\"400\"} 1.0")
                .doesNotContain("portcullis_policy_verdicts_total{");
    }

    @Test
    void aConnectionDeniedAtL4IsAVerdictButNoL7Request() throws Exception {
        metrics.log(new AccessLogEntry(Instant.now(), Type.REQUEST, Verdict.DENIED, null, "http", PEER, PEER, null,
                null, "connection denied by L3/L4 policy", -1));

        assertThat(scrape())
                .contains("portcullis_policy_verdicts_total{action=\"denied\",direction=\"unknown\",match=\"l3-l4\"} 1.0")
                .doesNotContain("portcullis_policy_l7_total{");
    }

    @Test
    void kafkaTopicsBeyondTheCapAreCountedAsOther() throws Exception {
        metrics.log(kafka(List.of("orders"), 0));
        metrics.log(kafka(List.of("payments", "orders"), 0));
        metrics.log(kafka(null, null));

        assertThat(scrape())
                .contains("portcullis_kafka_requests_total{api_key=\"Produce\",error_code=\"0\",topic=\"orders\"} 2.0")
                .contains("portcullis_kafka_requests_total{api_key=\"Produce\",error_code=\"0\",topic=\"other\"} 1.0")
                .contains("portcullis_kafka_requests_total{api_key=\"Produce\",error_code=\"unknown\",topic=\"other\"} 1.0")
                .contains("portcullis_proxy_upstream_reply_seconds_count{proxy_type=\"kafka\"} 3");
    }
}
