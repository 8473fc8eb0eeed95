package io.portcullis.proxy.http2;

import io.portcullis.proxy.accesslog.AccessLog;
import io.portcullis.proxy.accesslog.AccessLogEntry;
import io.portcullis.proxy.accesslog.AccessLogEntry.Type;
import io.portcullis.proxy.accesslog.AccessLogEntry.Verdict;
import io.portcullis.proxy.context.ConnectionContext;
import io.portcullis.proxy.policy.Judgement;

import java.time.Instant;

/**
 * Access-log records of one connection's streams: one request record at the decision and one
 * response record per judged stream (HTTP: at the response head; gRPC: at the call's final
 * status, from the trailers or a trailers-only response; or at the deny, error or reset).
 */
final class StreamLog {
    private final AccessLog log;
    private final ConnectionContext connection;

    StreamLog(AccessLog log, ConnectionContext connection) {
        this.log = log;
        this.connection = connection;
    }

    void request(StreamExchange ex, String note) {
        Judgement j = ex.judgement;
        emit(Type.REQUEST, j.verdict(), ex, ex.http, note == null ? j.reason() : j.reason() + "; " + note, -1,
                grpc(ex, null));
    }

    /** The response record, once per stream; {@code grpcStatus} only for gRPC calls. */
    void response(StreamExchange ex, Verdict verdict, int code, Integer grpcStatus, String reason) {
        if (ex.responseLogged) {
            return;
        }
        ex.responseLogged = true;
        emit(Type.RESPONSE, verdict, ex, ex.http.withCode(code), reason == null ? ex.judgement.reason() : reason,
                System.nanoTime() - ex.decisionNanos, grpc(ex, grpcStatus));
    }

    /** The end of a WebSocket carried on the stream (its 2xx was logged as its response). */
    void tunnelClosed(StreamExchange ex, String reason) {
        if (ex.tunnelLogged) {
            return;
        }
        ex.tunnelLogged = true;
        Judgement j = ex.judgement;
        log.log(new AccessLogEntry(Instant.now(), Type.CLOSE, Verdict.FORWARDED, j.observationPoint(), ex.protocol(),
                connection.source(), connection.destination(), ex.http.withCode(ex.tunnelStatus), j.policy(), reason, -1, null,
                null,
                new AccessLogEntry.Tunnel("websocket", ex.bytesFromClient, ex.bytesToClient,
                        System.nanoTime() - ex.tunnelSinceNanos)));
    }

    /** A stream refused before any decision (malformed): a single response record. */
    void malformed(String reason) {
        log.log(new AccessLogEntry(Instant.now(), Type.RESPONSE, Verdict.ERROR, null, "http", connection.source(),
                connection.destination(), new AccessLogEntry.Http(null, null, null, "HTTP/2", 0), null,
                "stream reset (PROTOCOL_ERROR): " + reason, -1));
    }

    private static AccessLogEntry.Grpc grpc(StreamExchange ex, Integer status) {
        return ex.grpc == null ? null : new AccessLogEntry.Grpc(ex.grpc.service(), ex.grpc.method(), status);
    }

    private void emit(Type type, Verdict verdict, StreamExchange ex, AccessLogEntry.Http http, String reason,
                      long latency, AccessLogEntry.Grpc grpc) {
        Judgement j = ex.judgement;
        log.log(new AccessLogEntry(Instant.now(), type, verdict, j.observationPoint(), ex.protocol(),
                connection.source(), connection.destination(), http, j.policy(), reason, latency, grpc));
    }
}
