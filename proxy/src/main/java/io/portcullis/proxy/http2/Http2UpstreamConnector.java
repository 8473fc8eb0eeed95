package io.portcullis.proxy.http2;

import io.portcullis.config.Http2Limits;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.portcullis.proxy.upstream.UpstreamBootstrap;

import java.net.InetSocketAddress;

/**
 * Opens upstream HTTP/2 connections (prior knowledge, cleartext; {@link UpstreamBootstrap}) on the
 * downstream connection's own event loop, so that both sides of every stream run on one thread.
 */
public final class Http2UpstreamConnector {
    private final UpstreamBootstrap bootstrap;
    private final Http2Limits limits;
    private final int maxResponseHeaderListSize;

    public Http2UpstreamConnector(Class<? extends Channel> channelClass, int connectTimeoutMillis,
                                  WriteBufferWaterMark waterMark, Http2Limits limits, int maxResponseHeaderListSize) {
        this.limits = limits;
        this.maxResponseHeaderListSize = maxResponseHeaderListSize;
        this.bootstrap = new UpstreamBootstrap(channelClass, connectTimeoutMillis, waterMark, true);
    }

    Http2Limits limits() {
        return limits;
    }

    /** A new connection, connecting; streams opened on it wait for the connect. */
    UpstreamConnection connect(EventLoop loop, InetSocketAddress address, int mark) {
        UpstreamConnection connection = new UpstreamConnection();
        connection.connect(bootstrap, loop, address, mark, limits, maxResponseHeaderListSize);
        return connection;
    }
}
