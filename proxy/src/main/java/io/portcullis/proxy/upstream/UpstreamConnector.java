package io.portcullis.proxy.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.portcullis.proxy.channel.Flushes;

import java.net.InetSocketAddress;

/**
 * Opens upstream HTTP/1.1 connections ({@link UpstreamBootstrap}), auto-read off, with Netty's client codec: it pairs
 * responses with request methods, so HEAD, 204 and 304 responses are framed right.
 */
public final class UpstreamConnector {
    private final UpstreamBootstrap bootstrap;
    private final HttpDecoderConfig decoderConfig;

    public UpstreamConnector(Class<? extends Channel> channelClass, int connectTimeoutMillis, int maxInitialLineLength,
                             int maxHeaderSize, int maxChunkSize, WriteBufferWaterMark waterMark) {
        this.decoderConfig = new HttpDecoderConfig().setMaxInitialLineLength(maxInitialLineLength)
                .setMaxHeaderSize(maxHeaderSize).setMaxChunkSize(maxChunkSize).setValidateHeaders(true)
                .setStrictLineParsing(true).setAllowDuplicateContentLengths(false);
        this.bootstrap = new UpstreamBootstrap(channelClass, connectTimeoutMillis, waterMark, false);
    }

    /** @param mark the upstream socket's {@code SO_MARK}, 0 for none */
    public ChannelFuture connect(EventLoop loop, InetSocketAddress address, int mark, UpstreamListener listener) {
        return bootstrap.connect(loop, address, mark, ch -> ch.pipeline().addLast("flush", Flushes.consolidating())
                .addLast("codec", new HttpClientCodec(decoderConfig.clone(), false, false))
                .addLast("upstream", new UpstreamHandler(listener)));
    }

    /**
     * Takes the HTTP handlers out of an upstream connection whose protocol was switched (the
     * handlers that replace them are already in place): the codec goes last, so bytes it holds
     * beyond the {@code 101} reach them.
     */
    public static void removeHttpHandlers(Channel upstream) {
        upstream.pipeline().remove("upstream");
        upstream.pipeline().remove("codec");
    }
}
