package io.portcullis.proxy.http1;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.portcullis.proxy.accesslog.AccessLog;
import io.portcullis.proxy.accesslog.AccessLogEntry;
import io.portcullis.proxy.accesslog.AccessLogEntry.Type;
import io.portcullis.proxy.accesslog.AccessLogEntry.Verdict;
import io.portcullis.proxy.context.ConnectionContext;
import io.portcullis.proxy.policy.Judgement;

import java.time.Instant;

/** Builds the access-log records of one connection's exchanges. */
final class ExchangeLog {
    private final AccessLog log;
    private final ConnectionContext connection;

    ExchangeLog(AccessLog log, ConnectionContext connection) {
        this.log = log;
        this.connection = connection;
    }

    void request(Exchange ex, String note) {
        Judgement j = ex.judgement;
        emit(Type.REQUEST, j.verdict(), j, ex.http, note == null ? j.reason() : j.reason() + "; " + note, -1);
    }

    void response(Exchange ex, Verdict verdict, int code, String reason) {
        emit(Type.RESPONSE, verdict, ex.judgement, ex.http.withCode(code), reason == null ? ex.judgement.reason() : reason,
                System.nanoTime() - ex.decisionNanos);
    }

    /** The end of the WebSocket an exchange switched to (its 101 was logged as its response). */
    void tunnelClosed(Exchange ex, String reason, long fromClient, long toClient, long durationNanos) {
        Judgement j = ex.judgement;
        log.log(new AccessLogEntry(Instant.now(), Type.CLOSE, Verdict.FORWARDED, j.observationPoint(), "http",
                connection.source(), connection.destination(), ex.http.withCode(101), j.policy(), reason, -1, null,
                null, new AccessLogEntry.Tunnel("websocket", fromClient, toClient, durationNanos)));
    }

    /**
     * An answer made without a policy decision (bad input, timeout): a single response record.
     * {@code raw} is the request as decoded, or null when there is none.
     */
    void refused(HttpRequest raw, int code, String reason) {
        AccessLogEntry.Http http = raw == null ? new AccessLogEntry.Http(null, null, null, null, code)
                : new AccessLogEntry.Http(raw.method().name(), raw.uri(), raw.headers().get(HttpHeaderNames.HOST),
                raw.protocolVersion().text(), code);
        emit(Type.RESPONSE, Verdict.ERROR, null, http, reason, -1);
    }

    private void emit(Type type, Verdict verdict, Judgement j, AccessLogEntry.Http http, String reason, long latency) {
        log.log(new AccessLogEntry(Instant.now(), type, verdict, j == null ? null : j.observationPoint(), "http",
                connection.source(), connection.destination(), http, j == null ? null : j.policy(), reason, latency));
    }
}
