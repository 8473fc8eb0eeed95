package io.portcullis.agent.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.portcullis.api.JsonLines;
import io.portcullis.api.feed.AccessLogRecords;
import io.portcullis.api.feed.Applied;
import io.portcullis.api.feed.FeedMessage;
import io.portcullis.api.feed.Hello;
import io.portcullis.api.feed.Snapshot;
import io.portcullis.api.feed.Watching;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The agent's end of the feed (a unix socket, mode 0600): every proxy that connects gets the
 * latest snapshot at once and each later one as it is published, in order. Confirmations keep
 * {@link #proxies()} current and time how long a change took to reach the proxy; access-log
 * records go to the {@link AccessLogStream}.
 */
public final class ProxyFeed implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ProxyFeed.class.getName());
    private static final int MAX_LINE = 64 << 20;
    /** Publication times kept for confirmations that come late (a proxy that was busy or reconnecting). */
    private static final long KEPT_DELAYS = 64;
    private static final AttributeKey<ConnectedProxy> PROXY = AttributeKey.valueOf("portcullis.proxy");

    /** Told when a proxy confirms a snapshot, with the time since it was published. */
    @FunctionalInterface
    public interface AppliedListener {
        void applied(ConnectedProxy proxy, long delayNanos);
    }

    private final Path socket;
    private final EventLoopGroup group;
    private final ChannelGroup proxies;
    private final AccessLogStream records;
    private final Map<Long, Long> publishedAt = new ConcurrentHashMap<>();
    private final Channel server;
    private volatile Snapshot latest;
    /** The generation last handed to {@link #publish}, set before it is on the wire: what confirmations are awaited for. */
    private volatile long published;
    private volatile AppliedListener appliedListener = (proxy, delay) -> { };

    private ProxyFeed(Path socket, AccessLogStream records) throws IOException {
        this.socket = socket;
        this.records = records;
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("portcullis-feed", true),
                EpollIoHandler.newFactory());
        this.proxies = new DefaultChannelGroup("portcullis-proxies", group.next());
        try {
            Files.createDirectories(socket.toAbsolutePath().getParent());
            Files.deleteIfExists(socket);
            server = new ServerBootstrap().group(group).channel(EpollServerDomainSocketChannel.class)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            JsonLines.install(ch.pipeline(), FeedMessage.class, MAX_LINE);
                            ch.pipeline().addLast("feed", new FeedHandler());
                        }
                    })
                    .bind(new DomainSocketAddress(socket.toFile())).syncUninterruptibly().channel();
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | RuntimeException e) {
            group.shutdownGracefully();
            throw new IOException("cannot bind the proxy feed socket " + socket + ": " + e.getMessage(), e);
        }
        records.onWatchersChanged(count -> proxies.writeAndFlush(new Watching(count > 0)));
    }

    public static ProxyFeed start(Path socket, AccessLogStream records) throws IOException {
        return new ProxyFeed(socket, records);
    }

    public Path socket() {
        return socket;
    }

    public void onApplied(AppliedListener listener) {
        appliedListener = listener;
    }

    /**
     * Sends {@code snapshot} to every connected proxy and to each that connects later. Runs on the
     * feed's one event loop, like the hellos, so no proxy ever gets an older snapshot after a newer one.
     */
    public void publish(Snapshot snapshot) {
        long now = System.nanoTime();
        published = snapshot.generation();
        group.execute(() -> {
            publishedAt.put(snapshot.generation(), now);
            publishedAt.remove(snapshot.generation() - KEPT_DELAYS);
            latest = snapshot;
            proxies.writeAndFlush(snapshot);
        });
    }

    public long latestGeneration() {
        return published;
    }

    /**
     * Waits until the proxy {@code pid} confirmed the latest snapshot.
     *
     * @return false when it did not within {@code timeout}
     */
    public boolean awaitApplied(long pid, Duration timeout) throws InterruptedException {
        long wanted = published;
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            for (ConnectedProxy proxy : proxies()) {
                if (proxy.pid() == pid && proxy.generation() >= wanted) {
                    return true;
                }
            }
            Thread.sleep(5);
        }
        return false;
    }

    /** The proxies connected now, with what they last confirmed. */
    public List<ConnectedProxy> proxies() {
        List<ConnectedProxy> connected = new ArrayList<>();
        for (Channel channel : proxies) {
            ConnectedProxy proxy = channel.attr(PROXY).get();
            if (proxy != null) {
                connected.add(proxy);
            }
        }
        return connected;
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        proxies.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        try {
            Files.deleteIfExists(socket);
        } catch (IOException ignored) {
            // A stale socket file is replaced by the next agent anyway.
        }
    }

    private final class FeedHandler extends SimpleChannelInboundHandler<FeedMessage> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FeedMessage message) {
            if (message instanceof Hello hello) {
                ctx.channel().attr(PROXY).set(new ConnectedProxy(hello.pid(), hello.settingsDigest(), 0,
                        hello.listeners()));
                proxies.add(ctx.channel());
                LOG.log(System.Logger.Level.INFO, "proxy pid " + hello.pid() + " connected to the feed");
                ctx.write(new Watching(records.watchers() > 0));
                Snapshot current = latest;
                if (current != null) {
                    ctx.write(current);
                }
                ctx.flush();
            } else if (message instanceof Applied applied) {
                ConnectedProxy proxy = ctx.channel().attr(PROXY).get();
                if (proxy == null) {
                    return;
                }
                ConnectedProxy updated = proxy.applied(applied.generation(), applied.listeners());
                ctx.channel().attr(PROXY).set(updated);
                Long published = publishedAt.get(applied.generation());
                appliedListener.applied(updated, published == null ? 0 : System.nanoTime() - published);
            } else if (message instanceof AccessLogRecords batch) {
                batch.records().forEach(records::publish);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            ConnectedProxy proxy = ctx.channel().attr(PROXY).get();
            if (proxy != null) {
                LOG.log(System.Logger.Level.INFO, "proxy pid " + proxy.pid() + " left the feed");
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.log(System.Logger.Level.WARNING, "proxy feed connection failed: " + cause.getMessage());
            ctx.close();
        }
    }
}
