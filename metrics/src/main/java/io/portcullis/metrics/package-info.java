/**
 * The Prometheus endpoint shared by the agent and the proxy process: one HTTP server per process
 * on the configured address, serving the process's registry (with the JVM's own metrics) in the
 * Prometheus text and OpenMetrics formats. A scrape either renders every collector or fails as a
 * whole (HTTP 500); it never returns part of a page. Label values that come from traffic are
 * bounded here ({@link io.portcullis.metrics.CappedLabel}).
 */
package io.portcullis.metrics;
