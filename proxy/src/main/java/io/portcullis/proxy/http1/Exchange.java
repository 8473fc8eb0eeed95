package io.portcullis.proxy.http1;

import io.portcullis.parsers.http1.ValidatedRequest;
import io.portcullis.proxy.accesslog.AccessLogEntry;
import io.portcullis.proxy.policy.Judgement;

/** State of the one request/response exchange in flight on a downstream connection. */
final class Exchange {
    enum Mode {
        /** Allowed: body goes upstream, response comes back. */
        FORWARD,
        /** Denied: 403 sent, body read and dropped. */
        DISCARD,
        /** Answered locally with an error; the connection closes. */
        FAILED
    }

    final ValidatedRequest request;
    final boolean head;
    final AccessLogEntry.Http http;
    final Judgement judgement;
    final long decisionNanos = System.nanoTime();
    Mode mode;
    boolean requestComplete;
    boolean responseStarted;
    boolean responseComplete;
    /** A 1xx interim response is being relayed; the final one is still to come. */
    boolean interim;
    /** Close the downstream connection once this exchange is over. */
    boolean closeAfter;
    /** Upstream may carry the next request after this response. */
    boolean upstreamReusable;
    long discarded;
    /** An allowed WebSocket opening handshake: a 101 answer switches the connection to a tunnel. */
    boolean webSocket;
    /** The 101 is being relayed: at its end both connections become a tunnel. */
    boolean switching;

    Exchange(ValidatedRequest request, Judgement judgement) {
        this.request = request;
        this.head = request.method().equals("HEAD");
        this.http = new AccessLogEntry.Http(request.method(), request.url(), request.host(), request.protocol(), 0);
        this.judgement = judgement;
        this.closeAfter = !request.keepAlive();
    }
}
