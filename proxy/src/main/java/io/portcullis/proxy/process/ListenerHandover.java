package io.portcullis.proxy.process;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.DomainSocketReadMode;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannelOption;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.portcullis.api.JsonLines;
import io.portcullis.api.WireJson;
import io.portcullis.api.control.ControlRequest;
import io.portcullis.api.control.ProxyStatus;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The new proxy's side of a hand-over: it asks the running proxy for its listening sockets, and,
 * once it accepts on them itself, tells the old one to drain. Until then the old one keeps
 * accepting, so whatever fails in between leaves it serving.
 */
final class ListenerHandover implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ListenerHandover.class.getName());
    private static final long TIMEOUT_SECONDS = 10;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
            new DefaultThreadFactory("portcullis-proxy-handover", true), EpollIoHandler.newFactory());
    private final Path socket;
    private final CompletableFuture<ProxyStatus> drained = new CompletableFuture<>();
    private Channel control;

    private ListenerHandover(Path socket) {
        this.socket = socket;
    }

    /** A hand-over from the proxy whose control socket is {@code socket}; nothing is asked yet. */
    static ListenerHandover connect(Path socket) {
        return new ListenerHandover(socket);
    }

    /**
     * Takes the listening sockets of the running proxy, by bound address; empty when no proxy
     * answers (nothing to take over: the caller binds its own).
     */
    Map<InetSocketAddress, Integer> takeListeners() throws IOException {
        if (!Files.exists(socket)) {
            return Map.of();
        }
        try {
            control = new Bootstrap().group(group).channel(EpollDomainSocketChannel.class)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            JsonLines.install(ch.pipeline(), ProxyStatus.class, 64 * 1024);
                            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                    drained.complete((ProxyStatus) msg);
                                }
                            });
                        }
                    })
                    .connect(new DomainSocketAddress(socket.toFile())).syncUninterruptibly().channel();
        } catch (Exception e) {   // Netty rethrows the connect failure (an IOException) unchecked
            LOG.log(System.Logger.Level.INFO, "no running proxy answers at " + socket + " (" + e.getMessage()
                    + "); binding the listeners afresh");
            return Map.of();
        }
        Map<InetSocketAddress, Integer> byAddress = new LinkedHashMap<>();
        for (int fd : receiveSockets()) {
            byAddress.put(new Socket(fd).localAddress(), fd);
        }
        LOG.log(System.Logger.Level.INFO, "took over listening sockets " + byAddress.keySet() + " from the running proxy");
        return byAddress;
    }

    /** A connection of its own, reading file descriptors only, until the old proxy closes it after the last one. */
    private List<Integer> receiveSockets() throws IOException {
        List<Integer> fds = new ArrayList<>();
        CompletableFuture<List<Integer>> done = new CompletableFuture<>();
        Channel channel = new Bootstrap().group(group).channel(EpollDomainSocketChannel.class)
                .option(UnixChannelOption.DOMAIN_SOCKET_READ_MODE, DomainSocketReadMode.FILE_DESCRIPTORS)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        if (msg instanceof FileDescriptor fd) {
                            fds.add(fd.intValue());
                        }
                    }

                    @Override
                    public void channelInactive(ChannelHandlerContext ctx) {
                        done.complete(fds);
                    }
                })
                .connect(new DomainSocketAddress(socket.toFile())).syncUninterruptibly().channel();
        channel.writeAndFlush(channel.alloc().buffer().writeBytes(
                WireJson.line(new ControlRequest(ControlRequest.Kind.HANDOVER))));
        try {
            return done.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while taking the listening sockets over", e);
        } catch (ExecutionException | TimeoutException e) {
            channel.close();
            throw new IOException("the running proxy did not hand its listening sockets over within "
                    + TIMEOUT_SECONDS + " s", e);
        }
    }

    /** Tells the old proxy to stop accepting and drain; returns its status at that moment. */
    ProxyStatus drainOld() throws IOException {
        if (control == null) {
            throw new IllegalStateException("no proxy was taken over");
        }
        control.writeAndFlush(new ControlRequest(ControlRequest.Kind.DRAIN));
        try {
            return drained.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking the old proxy to drain", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("the old proxy did not confirm the drain within " + TIMEOUT_SECONDS + " s", e);
        }
    }

    @Override
    public void close() {
        if (control != null) {
            control.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
