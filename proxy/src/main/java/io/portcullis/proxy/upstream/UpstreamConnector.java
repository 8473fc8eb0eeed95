package io.portcullis.proxy.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.portcullis.proxy.channel.Flushes;

import java.net.InetSocketAddress;

/**
 * Opens upstream connections on the downstream connection's own event loop (no cross-thread
 * hand-off, as in Netty's HexDumpProxy), auto-read off, with Netty's client codec: it pairs
 * responses with request methods, so HEAD, 204 and 304 responses are framed right.
 */
public final class UpstreamConnector {
    private final Bootstrap template;
    private final HttpDecoderConfig decoderConfig;

    public UpstreamConnector(Class<? extends Channel> channelClass, int connectTimeoutMillis, int maxInitialLineLength,
                             int maxHeaderSize, int maxChunkSize, WriteBufferWaterMark waterMark) {
        this.decoderConfig = new HttpDecoderConfig().setMaxInitialLineLength(maxInitialLineLength)
                .setMaxHeaderSize(maxHeaderSize).setMaxChunkSize(maxChunkSize).setValidateHeaders(true)
                .setStrictLineParsing(true).setAllowDuplicateContentLengths(false);
        this.template = new Bootstrap().channel(channelClass)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark);
    }

    /** @param mark the upstream socket's {@code SO_MARK}, 0 for none */
    public ChannelFuture connect(EventLoop loop, InetSocketAddress address, int mark, UpstreamListener listener) {
        return template.clone(loop).handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                UpstreamMark.apply(ch, mark);
                ch.pipeline().addLast("flush", Flushes.consolidating())
                        .addLast("codec", new HttpClientCodec(decoderConfig.clone(), false, false))
                        .addLast("upstream", new UpstreamHandler(listener));
            }
        }).connect(address);
    }
}
