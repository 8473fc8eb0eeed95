package io.portcullis.proxy.process;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.portcullis.api.JsonLines;
import io.portcullis.api.feed.AccessLogRecords;
import io.portcullis.api.feed.Applied;
import io.portcullis.api.feed.FeedMessage;
import io.portcullis.api.feed.Hello;
import io.portcullis.api.feed.Snapshot;
import io.portcullis.api.feed.Watching;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The proxy's connection to the agent's feed socket. It says hello, hands each snapshot to
 * {@code onSnapshot} (which swaps the state and returns the listeners) and confirms it, and sends
 * access-log batches while the agent watches. When the agent goes away the proxy keeps its last
 * state and reconnects with a backoff of up to a second, so a restarted agent finds it at once.
 */
final class AgentFeed implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AgentFeed.class.getName());
    private static final int MAX_LINE = 256 << 20;
    private static final long FIRST_RETRY_MS = 50;
    private static final long MAX_RETRY_MS = 1000;

    /** Applies a snapshot and returns the listeners then accepting; throws when the snapshot is refused. */
    interface SnapshotSink {
        List<String> apply(Snapshot snapshot);
    }

    private final Path socket;
    private final String settingsDigest;
    private final SnapshotSink sink;
    private final Supplier<List<String>> listeners;
    private final Consumer<Boolean> watching;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
            new DefaultThreadFactory("portcullis-proxy-feed", true), EpollIoHandler.newFactory());
    private volatile Channel channel;
    private volatile boolean closed;
    private long retryMs = FIRST_RETRY_MS;
    private boolean warned;

    AgentFeed(Path socket, String settingsDigest, SnapshotSink sink, Supplier<List<String>> listeners,
              Consumer<Boolean> watching) {
        this.socket = socket;
        this.settingsDigest = settingsDigest;
        this.sink = sink;
        this.listeners = listeners;
        this.watching = watching;
    }

    void start() {
        group.execute(this::connect);
    }

    boolean connected() {
        Channel current = channel;
        return current != null && current.isActive();
    }

    /** Tells the agent what the proxy accepts on now (after it started or took listeners over). */
    void listenersChanged(long generation) {
        send(new Applied(generation, listeners.get()));
    }

    /** Sends access-log records if connected and the socket keeps up; returns false when they were not sent. */
    boolean sendRecords(List<String> records) {
        Channel current = channel;
        if (current == null || !current.isActive() || !current.isWritable()) {
            return false;
        }
        current.writeAndFlush(new AccessLogRecords(records), current.voidPromise());
        return true;
    }

    private void send(FeedMessage message) {
        Channel current = channel;
        if (current != null && current.isActive()) {
            current.writeAndFlush(message, current.voidPromise());
        }
    }

    private void connect() {
        if (closed) {
            return;
        }
        ChannelFuture connecting = new Bootstrap().group(group).channel(EpollDomainSocketChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        JsonLines.install(ch.pipeline(), FeedMessage.class, MAX_LINE);
                        ch.pipeline().addLast("feed", new FeedHandler());
                    }
                })
                .connect(new DomainSocketAddress(socket.toFile()));
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                if (!warned) {
                    LOG.log(System.Logger.Level.WARNING, "cannot reach the agent at " + socket + " ("
                            + f.cause().getMessage() + "); retrying, the last policy received stays in force");
                    warned = true;
                }
                retryLater();
            }
        });
    }

    private void retryLater() {
        if (closed) {
            return;
        }
        long delay = retryMs;
        retryMs = Math.min(MAX_RETRY_MS, retryMs * 2);
        group.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        closed = true;
        Channel current = channel;
        if (current != null) {
            current.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class FeedHandler extends SimpleChannelInboundHandler<FeedMessage> {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            retryMs = FIRST_RETRY_MS;
            if (warned) {
                LOG.log(System.Logger.Level.INFO, "connected to the agent at " + socket + " again");
                warned = false;
            }
            ctx.writeAndFlush(new Hello(ProcessHandle.current().pid(), settingsDigest, listeners.get()));
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FeedMessage message) {
            if (message instanceof Snapshot snapshot) {
                try {
                    ctx.writeAndFlush(new Applied(snapshot.generation(), sink.apply(snapshot)));
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "snapshot " + snapshot.generation() + " refused, the previous "
                            + "one stays in force: " + e.getMessage());
                }
            } else if (message instanceof Watching watched) {
                watching.accept(watched.watched());
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            channel = null;
            watching.accept(false);
            if (!closed) {
                LOG.log(System.Logger.Level.WARNING, "the agent's feed closed; the last policy received stays in force "
                        + "while the proxy reconnects");
                warned = true;
                retryLater();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.log(System.Logger.Level.ERROR, "agent feed: " + cause.getMessage() + "; reconnecting");
            ctx.close();
        }
    }
}
