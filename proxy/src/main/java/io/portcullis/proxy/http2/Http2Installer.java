package io.portcullis.proxy.http2;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.portcullis.proxy.accesslog.AccessLog;
import io.portcullis.proxy.policy.ConnectionPolicy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Builds the downstream HTTP/2 pipeline of one connection, for prior knowledge
 * ({@link #install}) and for the h2c upgrade ({@link #upgradeHandler}):
 * <pre>
 *   h2-idle (IdleStateHandler) → h2-guard ({@link FrameGuard}) → h2-codec (Http2FrameCodec)
 *     → h2-multiplex (Http2MultiplexHandler, one {@link StreamProxyHandler} per stream)
 *     → h2-connection ({@link DownstreamConnection})
 * </pre>
 * The connection's {@link ConnectionPolicy} must already be on the channel (the gate puts it there).
 */
public final class Http2Installer {
    private final Http2UpstreamConnector connector;
    private final AccessLog accessLog;
    private final Duration idleTimeout;
    private final Duration tunnelIdleTimeout;

    /**
     * @param idleTimeout       a connection with no active stream and no frame for this long is closed
     * @param tunnelIdleTimeout a WebSocket stream that carried nothing either way for this long is reset
     */
    public Http2Installer(Http2UpstreamConnector connector, AccessLog accessLog, Duration idleTimeout,
                          Duration tunnelIdleTimeout) {
        this.connector = connector;
        this.accessLog = accessLog;
        this.idleTimeout = idleTimeout;
        this.tunnelIdleTimeout = tunnelIdleTimeout;
    }

    /** Prior knowledge: appends the HTTP/2 handlers; the client preface is the next input. */
    public void install(Channel channel) {
        Parts parts = parts(channel);
        ChannelPipeline p = channel.pipeline();
        p.addLast("h2-idle", parts.idle).addLast("h2-guard", parts.guard).addLast("h2-codec", parts.codec)
                .addLast("h2-multiplex", parts.multiplex).addLast("h2-connection", parts.connection);
        readContinuously(channel);
    }

    /**
     * The h2c upgrade handler for an HTTP/1.1 pipeline: placed after the response encoder, it
     * turns the first request, when it is a valid bodiless {@code Upgrade: h2c}, into stream 1 of
     * an HTTP/2 connection (which then judges it like any stream).
     *
     * @param http1Handlers names of the HTTP/1.1 handlers to remove on upgrade, the decoder last
     */
    public ChannelHandler upgradeHandler(Channel channel, String... http1Handlers) {
        return new H2cUpgrade(this, channel, http1Handlers).handler();
    }

    Parts parts(Channel channel) {
        ConnectionPolicy policy = channel.attr(ConnectionPolicy.CHANNEL_ATTRIBUTE).get();
        if (policy == null) {
            throw new IllegalStateException("no connection policy on " + channel);
        }
        Http2Session session = new Http2Session(channel, policy, accessLog, connector, tunnelIdleTimeout);
        Http2FrameCodec codec = Http2Codecs.server(connector.limits());
        FrameGuard guard = new FrameGuard(connector.limits(), session);
        guard.watch(codec.connection());
        Http2MultiplexHandler multiplex = new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                stream.config().setAutoRead(false);
                stream.pipeline().addLast("h2-stream", new StreamProxyHandler(session));
            }
        });
        return new Parts(new IdleStateHandler(0, 0, idleTimeout.toNanos(), TimeUnit.NANOSECONDS),
                guard, codec, multiplex, new DownstreamConnection(session, codec));
    }

    /**
     * The connection itself is read continuously: stream data is bounded by the flow-control
     * windows (a stream's DATA waits in its child channel until the upstream took the previous
     * frames, and only then is the window replenished), header blocks by the stream limit, and
     * control frames by the flood guard; SETTINGS and PING must be answered whatever streams do.
     */
    static void readContinuously(Channel channel) {
        channel.config().setAutoRead(true);
    }

    record Parts(IdleStateHandler idle, FrameGuard guard, Http2FrameCodec codec, Http2MultiplexHandler multiplex,
                 DownstreamConnection connection) {
    }
}
