/**
 * The proxy process's Prometheus metrics, counted from the access-log records it already makes at
 * each decision and response ({@link io.portcullis.proxy.metrics.ProxyMetrics} is one more sink
 * of the access log), so the protocol handlers know nothing of metrics. Names and labels follow
 * Cilium's and Hubble's with the {@code portcullis_} prefix; every label value comes from a
 * bounded set, and Kafka topic names are capped ({@code metrics.maxTopics}).
 */
package io.portcullis.proxy.metrics;
