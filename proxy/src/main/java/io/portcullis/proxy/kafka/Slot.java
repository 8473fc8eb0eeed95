package io.portcullis.proxy.kafka;

import io.netty.buffer.ByteBuf;
import io.portcullis.parsers.kafka.KafkaRequestFrame;
import io.portcullis.proxy.accesslog.AccessLogEntry;
import io.portcullis.proxy.policy.Judgement;

/**
 * One request's place in the connection's response order, and what the access log says about it.
 * A slot either waits for the broker's response (which it streams to the client, or collects
 * whole when the proxy must read or rewrite it) or holds a response the proxy made itself.
 */
final class Slot {
    enum Kind {
        /** A forwarded request; the broker's response is streamed to the client as it arrives. */
        RELAY(true, false),
        /** A forwarded ApiVersions; the response is collected and its version ranges capped. */
        API_VERSIONS(true, true),
        /** A forwarded Metadata; the response is collected to learn the brokers, then relayed unchanged. */
        METADATA(true, true),
        /**
         * A denied Metadata while no brokers are known: the proxy sent its own brokers-only Metadata
         * request under the client's correlation id; its response yields the brokers for the deny.
         */
        DENY_AFTER_BROKERS(true, true),
        /**
         * A denied ApiVersions: the proxy sent its own ApiVersions request under the client's
         * correlation id and answers with the broker's (capped) versions. kafka-clients cannot
         * report an error on the handshake (it disconnects and retries until its timeout), so the
         * handshake goes on and the client's next request gets the API's authorization error,
         * which it names (TopicAuthorizationException, ClusterAuthorizationException, ...).
         */
        DENIED_API_VERSIONS(true, true),
        /** A response the proxy made (a deny); ready at once. */
        READY(false, false);

        final boolean upstream;
        final boolean collects;

        Kind(boolean upstream, boolean collects) {
            this.upstream = upstream;
            this.collects = collects;
        }
    }

    final Kind kind;
    final int correlationId;
    final short apiVersion;
    final Judgement judgement;
    final AccessLogEntry.Kafka kafka;
    final long decisionNanos;
    /** READY: the response to send; owned by the slot until sent. */
    ByteBuf response;
    /** DENY_AFTER_BROKERS: the denied request, retained until its deny is built. */
    KafkaRequestFrame held;
    /** For the response record: the deny's error, or the broker's top-level error when read. */
    Integer errorCode;

    Slot(Kind kind, KafkaRequestFrame frame, Judgement judgement, AccessLogEntry.Kafka kafka, long decisionNanos) {
        this.kind = kind;
        this.correlationId = frame.correlationId();
        this.apiVersion = frame.apiVersion();
        this.judgement = judgement;
        this.kafka = kafka;
        this.decisionNanos = decisionNanos;
    }

    boolean denied() {
        return kind == Kind.READY || kind == Kind.DENY_AFTER_BROKERS || kind == Kind.DENIED_API_VERSIONS;
    }

    void release() {
        if (response != null) {
            response.release();
            response = null;
        }
        if (held != null) {
            held.release();
            held = null;
        }
    }
}
