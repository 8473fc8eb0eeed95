package io.portcullis.proxy.accesslog;

import io.portcullis.policy.resolve.Direction;
import io.portcullis.proxy.context.Endpoint;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One access-log record, immutable so that sinks may serialise it on another thread.
 *
 * @param time             when the record was made
 * @param type             request (at the decision) or response (response head, deny or error sent)
 * @param verdict          forwarded, denied or error
 * @param observationPoint the direction whose rules decided, or null when none did (L4-only
 *                         allow, input refused before any decision)
 * @param l7Protocol       {@code http}, {@code grpc} or {@code kafka}
 * @param source           the client
 * @param destination      the destination
 * @param http             the HTTP fields; null when no request was parsed (connection denied at
 *                         L4)
 * @param policy           the deciding policy, or null
 * @param reason           short reason
 * @param latencyNs        response records: request decision to response head (gRPC: to the
 *                         call's final status); -1 otherwise
 * @param grpc             the gRPC call, or null when the request is not gRPC
 * @param kafka            the Kafka request, or null when the connection is not Kafka
 * @param tunnel           close records: what a switched protocol carried; null otherwise
 */
public record AccessLogEntry(Instant time, Type type, Verdict verdict, Direction observationPoint, String l7Protocol,
                             Endpoint source, Endpoint destination, Http http, String policy, String reason,
                             long latencyNs, Grpc grpc, Kafka kafka, Tunnel tunnel) {
    public AccessLogEntry {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
    }

    /** A record of a request, its response or a denial (no tunnel). */
    public AccessLogEntry(Instant time, Type type, Verdict verdict, Direction observationPoint, String l7Protocol,
                          Endpoint source, Endpoint destination, Http http, String policy, String reason,
                          long latencyNs, Grpc grpc, Kafka kafka) {
        this(time, type, verdict, observationPoint, l7Protocol, source, destination, http, policy, reason, latencyNs,
                grpc, kafka, null);
    }

    /** A record without Kafka fields. */
    public AccessLogEntry(Instant time, Type type, Verdict verdict, Direction observationPoint, String l7Protocol,
                          Endpoint source, Endpoint destination, Http http, String policy, String reason,
                          long latencyNs, Grpc grpc) {
        this(time, type, verdict, observationPoint, l7Protocol, source, destination, http, policy, reason, latencyNs,
                grpc, null);
    }

    /** A record without gRPC or Kafka fields. */
    public AccessLogEntry(Instant time, Type type, Verdict verdict, Direction observationPoint, String l7Protocol,
                          Endpoint source, Endpoint destination, Http http, String policy, String reason,
                          long latencyNs) {
        this(time, type, verdict, observationPoint, l7Protocol, source, destination, http, policy, reason, latencyNs,
                null, null);
    }

    public enum Type {
        REQUEST, RESPONSE,
        /** The end of a connection switched to another protocol ({@code 101}), with {@link Tunnel}. */
        CLOSE;

        public String wire() {
            return this == REQUEST ? "request" : this == RESPONSE ? "response" : "close";
        }
    }

    public enum Verdict {
        FORWARDED,
        /** Policy denies it, and audit mode forwarded it: the record names the rule that would deny. */
        AUDIT,
        DENIED, ERROR;

        public String wire() {
            return switch (this) {
                case FORWARDED -> "forwarded";
                case AUDIT -> "audit";
                case DENIED -> "denied";
                case ERROR -> "error";
            };
        }
    }

    /**
     * @param method   request method, null if unknown (input refused before it was parsed)
     * @param url      normalised path plus query, null if unknown
     * @param host     Host or absolute-form authority
     * @param protocol {@code HTTP/1.1}, {@code HTTP/1.0} or {@code HTTP/2}
     * @param code     response status; 0 in request records
     */
    public record Http(String method, String url, String host, String protocol, int code) {
        public Http withCode(int status) {
            return new Http(method, url, host, protocol, status);
        }
    }

    /**
     * @param service the fully qualified service ({@code pkg.Service}), null if the path does not
     *                name one
     * @param method  the method, null likewise
     * @param status  the call's final status code (response records), null in request records or
     *                when the call ended without one (reset, broken upstream)
     */
    public record Grpc(String service, String method, Integer status) {
        public Grpc withStatus(Integer value) {
            return new Grpc(service, method, value);
        }
    }

    /**
     * @param apiKey        the API's protocol name ({@code Produce}, {@code Fetch}, ...)
     * @param apiVersion    the request's API version
     * @param correlationId the request's correlation id
     * @param clientId      the header's client id, null when absent
     * @param topics        the topic names, when the request was decoded for a topic rule; null
     *                      when it was judged on its header alone
     * @param errorCode     response records: the error of a synthesised deny, or the broker's
     *                      top-level error when the proxy read it; null otherwise
     */
    public record Kafka(String apiKey, int apiVersion, int correlationId, String clientId, List<String> topics,
                        Integer errorCode) {
        public Kafka withErrorCode(Integer value) {
            return new Kafka(apiKey, apiVersion, correlationId, clientId, topics, value);
        }
    }

    /**
     * @param protocol        the protocol switched to ({@code websocket})
     * @param bytesFromClient bytes carried from the client to the upstream after the switch
     * @param bytesToClient   bytes carried from the upstream to the client after the switch
     * @param durationNs      from the switch to the close
     */
    public record Tunnel(String protocol, long bytesFromClient, long bytesToClient, long durationNs) {
    }

    /** The same record as JSON (one line, no newline). */
    public String toJson() {
        return AccessLogJson.toJson(this);
    }
}
