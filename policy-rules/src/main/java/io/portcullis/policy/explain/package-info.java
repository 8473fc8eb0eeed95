/**
 * {@code policy explain}: which rule decided a connection (and optionally an HTTP request, a gRPC
 * call or a Kafka request) and why, per direction, with the namespace of each side, as plain
 * records for text or JSON output. Uses the same resolution as the proxy, so an explanation
 * cannot disagree with enforcement.
 */
package io.portcullis.policy.explain;
