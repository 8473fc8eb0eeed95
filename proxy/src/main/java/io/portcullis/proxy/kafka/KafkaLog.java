package io.portcullis.proxy.kafka;

import io.portcullis.proxy.accesslog.AccessLog;
import io.portcullis.proxy.accesslog.AccessLogEntry;
import io.portcullis.proxy.accesslog.AccessLogEntry.Type;
import io.portcullis.proxy.accesslog.AccessLogEntry.Verdict;
import io.portcullis.proxy.context.ConnectionContext;
import io.portcullis.proxy.policy.Judgement;

import java.time.Instant;

/** Builds the access-log records of one Kafka connection: one per decision, one per response. */
final class KafkaLog {
    private final AccessLog log;
    private final ConnectionContext connection;

    KafkaLog(AccessLog log, ConnectionContext connection) {
        this.log = log;
        this.connection = connection;
    }

    void request(Judgement j, AccessLogEntry.Kafka kafka) {
        emit(Type.REQUEST, j.verdict(), j, kafka, j.reason(), -1);
    }

    /** The slot's response (relayed or made by the proxy) went to the client. */
    void response(Slot slot) {
        emit(Type.RESPONSE, slot.denied() ? Verdict.DENIED : Verdict.FORWARDED, slot.judgement,
                slot.kafka.withErrorCode(slot.errorCode), slot.judgement.reason(), System.nanoTime() - slot.decisionNanos);
    }

    /** Input refused without a decision (bad frame, wrong protocol for the port): one record. */
    void refused(AccessLogEntry.Kafka kafka, String reason) {
        emit(Type.REQUEST, Verdict.ERROR, null, kafka, reason, -1);
    }

    private void emit(Type type, Verdict verdict, Judgement j, AccessLogEntry.Kafka kafka, String reason, long latency) {
        log.log(new AccessLogEntry(Instant.now(), type, verdict, j == null ? null : j.observationPoint(), "kafka",
                connection.source(), connection.destination(), null, j == null ? null : j.policy(), reason, latency,
                null, kafka));
    }
}
