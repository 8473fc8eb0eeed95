package io.portcullis.proxy.process;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.portcullis.api.JsonLines;
import io.portcullis.api.control.ControlRequest;
import io.portcullis.api.control.ProxyStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;

/**
 * The proxy's control socket (mode 0600): status, drain, and the hand-over of the listening
 * sockets. A hand-over sends every listening socket as a file descriptor (SCM_RIGHTS) and closes
 * the connection; the proxy keeps accepting until the new one says {@code DRAIN}, so a hand-over
 * that fails half-way leaves this proxy serving.
 */
final class ControlServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ControlServer.class.getName());
    private static final int MAX_LINE = 64 * 1024;

    /** What the control socket asks of the proxy process. */
    interface Controlled {
        ProxyStatus status();

        Collection<Integer> listeningSockets();

        /**
         * Stops taking control connections, then stops accepting and, in the background, lets
         * connections end for at most {@code deadline} (zero: closes them at once); the process then ends.
         */
        void drain(Duration deadline);

        /** The configured drain time. */
        Duration drainTime();
    }

    private final Path socket;
    private final EventLoopGroup group;
    private final Channel channel;
    private final Object inode;

    private ControlServer(Path socket, EventLoopGroup group, Channel channel) throws IOException {
        this.socket = socket;
        this.group = group;
        this.channel = channel;
        this.inode = Files.getAttribute(socket, "unix:ino");
    }

    /**
     * Binds a socket of its own and renames it to {@code socket}, replacing an earlier proxy's in one
     * step (whose open connections carry on). Netty removes the path it bound when the socket closes;
     * that is the private name, gone after the rename, so closing never removes another proxy's path.
     */
    static ControlServer start(Path socket, Controlled proxy) throws IOException {
        Files.createDirectories(socket.toAbsolutePath().getParent());
        Path own = socket.resolveSibling(socket.getFileName() + "." + ProcessHandle.current().pid());
        Files.deleteIfExists(own);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("portcullis-proxy-control",
                true), EpollIoHandler.newFactory());
        try {
            Channel channel = new ServerBootstrap().group(group).channel(EpollServerDomainSocketChannel.class)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            JsonLines.install(ch.pipeline(), ControlRequest.class, MAX_LINE);
                            ch.pipeline().addLast("control", new RequestHandler(proxy));
                        }
                    })
                    .bind(new DomainSocketAddress(own.toFile())).syncUninterruptibly().channel();
            Files.setPosixFilePermissions(own, PosixFilePermissions.fromString("rw-------"));
            Files.move(own, socket, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new ControlServer(socket, group, channel);
        } catch (IOException | RuntimeException e) {
            group.shutdownGracefully();
            Files.deleteIfExists(own);
            throw new IOException("cannot bind the proxy's control socket " + socket + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether the socket's path still leads to this server. It does not once the path was removed
     * ({@code portcullis uninstall}, a state directory deleted) or taken by another proxy: then
     * nobody can reach this proxy any more to stop or upgrade it.
     */
    boolean reachable() {
        try {
            return inode.equals(Files.getAttribute(socket, "unix:ino"));
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops taking new control connections; open ones (the new proxy's) stay. */
    void stopListening() {
        channel.close().syncUninterruptibly();
    }

    @Override
    public void close() {
        stopListening();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static final class RequestHandler extends SimpleChannelInboundHandler<ControlRequest> {
        private final Controlled proxy;

        RequestHandler(Controlled proxy) {
            this.proxy = proxy;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ControlRequest request) {
            switch (request.kind()) {
                case STATUS -> ctx.writeAndFlush(proxy.status());
                case DRAIN, STOP -> {
                    ProxyStatus status = proxy.status();
                    proxy.drain(request.kind() == ControlRequest.Kind.STOP ? Duration.ZERO : proxy.drainTime());
                    ctx.writeAndFlush(status);
                }
                case HANDOVER -> {
                    Collection<Integer> sockets = proxy.listeningSockets();
                    LOG.log(System.Logger.Level.INFO, "handing " + sockets.size()
                            + " listening sockets to a new proxy process");
                    for (int fd : sockets) {
                        ctx.write(new FileDescriptor(fd));
                    }
                    ctx.writeAndFlush(ctx.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE);
                }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.log(System.Logger.Level.WARNING, "control request refused: " + cause.getMessage());
            ctx.close();
        }
    }
}
