package io.portcullis.proxy.http2;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.concurrent.Promise;
import io.portcullis.proxy.accesslog.AccessLog;
import io.portcullis.proxy.policy.ConnectionPolicy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the streams of one downstream HTTP/2 connection share: the connection's policy and
 * access log, and its upstream connection, opened on the first forwarded stream. Confined to the
 * connection's event loop.
 */
final class Http2Session {
    private final Channel downstream;
    private final ConnectionPolicy policy;
    private final StreamLog log;
    private final Http2UpstreamConnector connector;
    private final Duration tunnelIdleTimeout;
    private final List<UpstreamConnection> upstreams = new ArrayList<>(1);
    private UpstreamConnection current;
    private final Set<Integer> framesAfterEndStream = new HashSet<>();
    private boolean closed;

    Http2Session(Channel downstream, ConnectionPolicy policy, AccessLog accessLog, Http2UpstreamConnector connector,
                 Duration tunnelIdleTimeout) {
        this.downstream = downstream;
        this.tunnelIdleTimeout = tunnelIdleTimeout;
        this.policy = policy;
        this.log = new StreamLog(accessLog, policy.connection());
        this.connector = connector;
    }

    ConnectionPolicy policy() {
        return policy;
    }

    StreamLog log() {
        return log;
    }

    /** How long a WebSocket stream may carry nothing either way ({@code http.websocketIdleTimeout}). */
    Duration tunnelIdleTimeout() {
        return tunnelIdleTimeout;
    }

    /**
     * Opens an upstream stream for a forwarded downstream stream. A retired connection (closed or
     * sent GOAWAY) is replaced by a new one; the retired one keeps serving its streams.
     */
    void openUpstream(ChannelHandler handler, Promise<Http2StreamChannel> promise, boolean webSocket) {
        if (closed) {
            promise.tryFailure(new IllegalStateException("downstream connection closed"));
            return;
        }
        if (current == null || !current.usable()) {
            UpstreamConnection connection = connector.connect(downstream.eventLoop(), policy.connection().upstream(),
                    policy.connection().upstreamMark());
            upstreams.add(connection);
            connection.closeFuture().addListener(f -> upstreams.remove(connection));
            current = connection;
        }
        current.openStream(handler, promise, webSocket);
    }

    /**
     * The client sent HEADERS or DATA on {@code stream} after it ended it, and the stream is still
     * half-closed (remote): the codec's stream error for that frame is answered as STREAM_CLOSED.
     */
    void frameAfterEndStream(int stream) {
        framesAfterEndStream.add(stream);
    }

    /** Whether a frame after END_STREAM caused {@code stream}'s error; forgets it (the stream ends). */
    boolean takeFrameAfterEndStream(int stream) {
        return framesAfterEndStream.remove(stream);
    }

    /** The downstream connection is gone: every upstream connection goes with it. */
    void close() {
        closed = true;
        for (UpstreamConnection connection : List.copyOf(upstreams)) {
            connection.close();
        }
    }
}
