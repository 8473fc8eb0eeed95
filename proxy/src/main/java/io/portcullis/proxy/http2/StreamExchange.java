package io.portcullis.proxy.http2;

import io.netty.handler.codec.http2.Http2StreamChannel;
import io.portcullis.parsers.http2.ValidatedHttp2Request;
import io.portcullis.proxy.accesslog.AccessLogEntry;
import io.portcullis.proxy.grpc.GrpcCall;
import io.portcullis.proxy.policy.Judgement;

/** State of one judged HTTP/2 stream, shared by its downstream and upstream halves. */
final class StreamExchange {
    final ValidatedHttp2Request request;
    /** Non-null for gRPC calls. */
    final GrpcCall grpc;
    final Judgement judgement;
    final AccessLogEntry.Http http;
    final long decisionNanos = System.nanoTime();
    Http2StreamChannel downstream;
    Http2StreamChannel upstream;
    boolean requestEnded;
    /** Response HEADERS (final, not 1xx) were relayed or a local answer was sent. */
    boolean responseStarted;
    boolean responseEnded;
    /** The response record was written: exactly one per judged stream. */
    boolean responseLogged;
    /** A reset was already relayed one way or the other: the peer must not get a second one. */
    boolean reset;
    /** DATA bytes relayed each way, for a WebSocket's close record. */
    long bytesFromClient;
    long bytesToClient;
    /** When the upstream accepted the WebSocket and with which 2xx status (0 before); its close record is written once. */
    long tunnelSinceNanos;
    int tunnelStatus;
    boolean tunnelLogged;
    /** What ended the WebSocket, when the proxy saw it end: reset or idle; null for an orderly close. */
    String tunnelEnd;

    StreamExchange(ValidatedHttp2Request request, Judgement judgement) {
        this.request = request;
        this.grpc = request.isGrpc() ? GrpcCall.of(request.path()) : null;
        this.judgement = judgement;
        this.http = new AccessLogEntry.Http(request.method(), request.path(), request.authority(), "HTTP/2", 0);
        this.requestEnded = request.endStream();
    }

    String protocol() {
        return grpc != null ? "grpc" : "http";
    }
}
