package io.portcullis.proxy.metrics;

import io.portcullis.metrics.CappedLabel;
import io.portcullis.policy.resolve.Direction;
import io.portcullis.proxy.accesslog.AccessLog;
import io.portcullis.proxy.accesslog.AccessLogEntry;
import io.portcullis.proxy.accesslog.AccessLogEntry.Type;
import io.portcullis.proxy.accesslog.AccessLogEntry.Verdict;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Counts the proxy's decisions and responses from its access-log records. Every judged request
 * has one request record (received, then forwarded, denied or an error); input refused before any
 * decision has a single record, counted as a parse error; a response record carries the status
 * and the time from the decision to the response.
 */
public final class ProxyMetrics implements AccessLog {
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
            "TRACE", "PATCH");
    private static final Set<String> HTTP_PROTOCOLS = Set.of("HTTP/1.0", "HTTP/1.1", "HTTP/2");
    /** The Kafka API names the parser knows number well under a hundred; unknown keys stay bounded too. */
    private static final int MAX_API_KEYS = 100;
    private final Counter l7;
    private final Counter verdicts;
    private final Counter httpRequests;
    private final Counter kafkaRequests;
    private final Histogram upstreamReply;
    private final Histogram httpDuration;
    private final CappedLabel topics;
    private final CappedLabel apiKeys = new CappedLabel(MAX_API_KEYS);

    /** @param maxTopics distinct Kafka topic names that get their own label value */
    public ProxyMetrics(PrometheusRegistry registry, int maxTopics) {
        topics = new CappedLabel(maxTopics);
        l7 = Counter.builder().name("portcullis_policy_l7_total")
                .help("L7 requests by what became of them: received, forwarded, denied, parse_errors")
                .labelNames("rule", "proxy_type").register(registry);
        verdicts = Counter.builder().name("portcullis_policy_verdicts_total")
                .help("Policy verdicts of the proxy: L7 requests, and connections denied at L3/L4 before any request")
                .labelNames("direction", "match", "action").register(registry);
        httpRequests = Counter.builder().name("portcullis_http_requests_total")
                .help("HTTP and gRPC responses by request method, protocol and status (403 for a denied request)")
                .labelNames("method", "protocol", "status").register(registry);
        kafkaRequests = Counter.builder().name("portcullis_kafka_requests_total")
                .help("Kafka responses by topic (capped by metrics.maxTopics), API and error code")
                .labelNames("topic", "api_key", "error_code").register(registry);
        upstreamReply = Histogram.builder().name("portcullis_proxy_upstream_reply_seconds")
                .help("Time from the proxy's decision to the upstream's reply, for forwarded requests")
                .classicOnly().labelNames("proxy_type").register(registry);
        httpDuration = Histogram.builder().name("portcullis_http_request_duration_seconds")
                .help("Time from the proxy's decision to the response head (gRPC: to the final status)")
                .classicOnly().labelNames("method").register(registry);
    }

    @Override
    public void log(AccessLogEntry entry) {
        if (entry.type() == Type.CLOSE) {
            return;   // a tunnel's end: its request and its 101 were counted when they were logged
        }
        String proxyType = entry.l7Protocol();
        if (entry.type() == Type.REQUEST) {
            request(entry, proxyType);
        } else if (entry.latencyNs() < 0) {
            // Input refused before any decision (malformed, timed out): its only record.
            l7.labelValues("received", proxyType).inc();
            l7.labelValues("parse_errors", proxyType).inc();
            http(entry);
        } else {
            response(entry, proxyType);
        }
    }

    private void request(AccessLogEntry entry, String proxyType) {
        boolean judgedAtL7 = entry.observationPoint() != null;
        if (!judgedAtL7 && entry.http() == null && entry.kafka() == null) {
            verdicts.labelValues("unknown", "l3-l4", "denied").inc();
            return;
        }
        l7.labelValues("received", proxyType).inc();
        l7.labelValues(rule(entry.verdict()), proxyType).inc();
        if (judgedAtL7) {
            verdicts.labelValues(direction(entry.observationPoint()), "l7/" + proxyType, action(entry.verdict())).inc();
        }
    }

    private void response(AccessLogEntry entry, String proxyType) {
        double seconds = entry.latencyNs() / 1e9;
        if (entry.verdict() == Verdict.FORWARDED) {
            upstreamReply.labelValues(proxyType).observe(seconds);
        }
        if (entry.http() != null) {
            http(entry);
            httpDuration.labelValues(method(entry.http().method())).observe(seconds);
        }
        AccessLogEntry.Kafka kafka = entry.kafka();
        if (kafka != null) {
            String apiKey = apiKeys.of(kafka.apiKey());
            String errorCode = kafka.errorCode() == null ? "unknown" : Integer.toString(kafka.errorCode());
            List<String> names = kafka.topics() == null || kafka.topics().isEmpty() ? List.of("none") : kafka.topics();
            for (String topic : names) {
                kafkaRequests.labelValues(topics.of(topic), apiKey, errorCode).inc();
            }
        }
    }

    private void http(AccessLogEntry entry) {
        AccessLogEntry.Http http = entry.http();
        if (http != null) {
            String protocol = HTTP_PROTOCOLS.contains(http.protocol()) ? http.protocol() : "other";
            httpRequests.labelValues(method(http.method()), protocol, Integer.toString(http.code())).inc();
        }
    }

    /** An error verdict is input the proxy could not parse or judge; an audited request was forwarded. */
    private static String rule(Verdict verdict) {
        return switch (verdict) {
            case FORWARDED, AUDIT -> "forwarded";
            case DENIED -> "denied";
            case ERROR -> "parse_errors";
        };
    }

    private static String action(Verdict verdict) {
        return switch (verdict) {
            case FORWARDED -> "allowed";
            case AUDIT -> "audit";
            case DENIED -> "denied";
            case ERROR -> "error";
        };
    }

    private static String direction(Direction direction) {
        return direction.name().toLowerCase(Locale.ROOT);
    }

    private static String method(String method) {
        if (method == null) {
            return "unknown";
        }
        return METHODS.contains(method) ? method : "other";
    }
}
