package io.portcullis.proxy.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;

import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * The socket set-up every upstream connection of the proxy shares (HTTP/1.1, HTTP/2, Kafka):
 * no Nagle delay, the configured connect timeout and the proxy's write water marks. Connections
 * open on the downstream connection's own event loop (no hand-off between threads, as in
 * Netty's HexDumpProxy), with the connection's {@code SO_MARK} set before the SYN.
 */
public final class UpstreamBootstrap {
    private final Bootstrap template;

    /** @param autoRead false where the owner reads the upstream only when its client can take more */
    public UpstreamBootstrap(Class<? extends Channel> channelClass, int connectTimeoutMillis,
                             WriteBufferWaterMark waterMark, boolean autoRead) {
        this.template = new Bootstrap().channel(channelClass)
                .option(ChannelOption.AUTO_READ, autoRead)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark);
    }

    /**
     * Connects on {@code loop}, marked with {@code mark} (0 for none), with the pipeline
     * {@code pipeline} builds.
     */
    public ChannelFuture connect(EventLoop loop, InetSocketAddress address, int mark, Consumer<Channel> pipeline) {
        return template.clone(loop).handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                UpstreamMark.apply(ch, mark);
                pipeline.accept(ch);
            }
        }).connect(address);
    }
}
