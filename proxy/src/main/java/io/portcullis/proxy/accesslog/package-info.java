/**
 * The access log: one {@link io.portcullis.proxy.accesslog.AccessLogEntry} per request decision
 * and one per response (head received, deny or error sent), written as one JSON object per line.
 * A request that policy denies and audit mode forwards has verdict {@code audit}; its response
 * record is {@code forwarded}.
 *
 * <p>Sinks implement {@link io.portcullis.proxy.accesslog.AccessLog}; they are called on event
 * loops and must not block: {@link io.portcullis.proxy.accesslog.StreamAccessLog} (stdout, file)
 * writes from a background thread, {@link io.portcullis.proxy.accesslog.AccessLog#tee} combines
 * sinks (one failing sink does not starve the others), and the proxy process adds one that sends
 * records to the agent while someone watches them there.
 */
package io.portcullis.proxy.accesslog;
