package io.portcullis.agent.api;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.portcullis.agent.observe.FlowHistory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The agent's local API: HTTP/1.1 with JSON bodies on a unix socket, one call per connection.
 * The socket is created mode 0600, since the API can change policy: only its owner may use it.
 */
public final class ApiServer implements AutoCloseable {
    private static final int MAX_BODY = 4 * 1024 * 1024;

    private final Path socket;
    private final EventLoopGroup group;
    private final ExecutorService handlers;
    private final Channel channel;

    private ApiServer(Path socket, EventLoopGroup group, ExecutorService handlers, Channel channel) {
        this.socket = socket;
        this.group = group;
        this.handlers = handlers;
        this.channel = channel;
    }

    /** Binds {@code socket}, replacing a stale socket file left by an agent that died. */
    public static ApiServer start(Path socket, ApiRoutes routes, FlowHistory flows) throws IOException {
        if (!Epoll.isAvailable()) {
            throw new IOException("the agent API needs epoll unix sockets: " + Epoll.unavailabilityCause());
        }
        Files.createDirectories(socket.toAbsolutePath().getParent());
        Files.deleteIfExists(socket);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("portcullis-api", true),
                EpollIoHandler.newFactory());
        ExecutorService handlers = Executors.newCachedThreadPool(new DefaultThreadFactory("portcullis-api-call", true));
        ObserveStream observe = new ObserveStream(flows);
        try {
            Channel channel = new ServerBootstrap().group(group)
                    .channel(EpollServerDomainSocketChannel.class)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_BODY),
                                    new ApiHandler(routes, observe, handlers));
                        }
                    })
                    .bind(new DomainSocketAddress(socket.toFile())).sync().channel();
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
            return new ApiServer(socket, group, handlers, channel);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            group.shutdownGracefully();
            handlers.shutdownNow();
            throw new IOException("interrupted while binding " + socket, e);
        } catch (RuntimeException e) {
            group.shutdownGracefully();
            handlers.shutdownNow();
            throw new IOException("cannot bind the agent API at " + socket + ": " + e.getMessage(), e);
        }
    }

    public Path socket() {
        return socket;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully().syncUninterruptibly();
        handlers.shutdownNow();
        try {
            Files.deleteIfExists(socket);
        } catch (IOException ignored) {
            // A stale socket file is replaced by the next agent anyway.
        }
    }
}
