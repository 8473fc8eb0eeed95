package io.portcullis.proxy.server;

import io.portcullis.config.Http2Limits;
import io.portcullis.config.HttpLimits;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.unix.UnixChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.portcullis.policy.resolve.PolicySnapshot;
import io.portcullis.config.KafkaConfig;
import io.portcullis.proxy.accesslog.AccessLog;
import io.portcullis.proxy.channel.Drain;
import io.portcullis.proxy.context.ConnectionResolver;
import io.portcullis.proxy.http2.Http2Installer;
import io.portcullis.proxy.http2.Http2UpstreamConnector;
import io.portcullis.proxy.kafka.KafkaBranch;
import io.portcullis.proxy.kafka.KafkaConnector;
import io.portcullis.proxy.upstream.UpstreamConnector;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The enforcement proxy (HTTP/1.1, HTTP/2, gRPC and Kafka, chosen per connection from its first bytes):
 * one or more listeners sharing one event-loop group, one policy
 * supplier and one access log.
 *
 * <pre>{@code
 * ProxyServer proxy = ProxyServer.builder()
 *         .eventLoopThreads(2)
 *         .limits(HttpLimits.DEFAULTS)
 *         .policy(snapshotRef::get)
 *         .accessLog(AccessLog.tee(StreamAccessLog.stdout(), subscribers))
 *         .listener(new InetSocketAddress("127.0.0.1", 15001),
 *                   new StaticUpstreamResolver(new InetSocketAddress("10.0.0.2", 80), peers))
 *         .build();
 * proxy.start();          // binds, or throws BindException naming the address
 * ...
 * proxy.close();          // the access log is left open: it belongs to the caller
 * }</pre>
 *
 * <p>Listening sockets can be taken over from another proxy process ({@link #start(Map)} with the
 * sockets it handed over, {@link #listeningSockets()} on the side that hands them), and a proxy
 * that hands over stops accepting and {@linkplain #drain drains}: each connection ends at a
 * boundary of its protocol (see {@link Drain}), and what is still open at the deadline is closed.
 */
public final class ProxyServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ProxyServer.class.getName());
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 64 * 1024);

    private final int threads;
    private final HttpLimits limits;
    private final Http2Limits http2Limits;
    private final KafkaConfig kafka;
    private final Supplier<PolicySnapshot> policy;
    private final AccessLog accessLog;
    private final List<Listener> listeners;
    private final List<Channel> bound = new ArrayList<>();
    /** Every accepted connection while it is open: what draining waits for and closing ends. */
    private final ChannelGroup connections = new DefaultChannelGroup("portcullis-connections",
            GlobalEventExecutor.INSTANCE);
    /** Set once draining starts: a connection accepted after that is born draining. */
    private volatile boolean draining;
    private EventLoopGroup group;

    private ProxyServer(Builder b) {
        this.threads = b.threads;
        this.limits = b.limits;
        this.http2Limits = b.http2Limits;
        this.kafka = b.kafka;
        this.policy = Objects.requireNonNull(b.policy, "policy supplier is required");
        this.accessLog = Objects.requireNonNull(b.accessLog, "access log is required");
        if (b.listeners.isEmpty()) {
            throw new IllegalArgumentException("at least one listener is required");
        }
        this.listeners = List.copyOf(b.listeners);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Binds every listener; on any failure nothing stays bound. */
    public void start() throws IOException {
        start(Map.of());
    }

    /**
     * Accepts on the listening sockets another proxy handed over (by their bound address; a
     * listener configured with port 0 takes an inherited socket of its IP) and binds the
     * listeners none of them serves. Inherited sockets no listener wants are closed here (the
     * listener was removed from the configuration). On any failure nothing stays bound or open.
     */
    public synchronized void start(Map<InetSocketAddress, Integer> inherited) throws IOException {
        if (group != null) {
            throw new IllegalStateException("already started");
        }
        Transport transport = Transport.detect();
        group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("portcullis-proxy", true),
                transport.ioHandlerFactory());
        UpstreamConnector upstream = new UpstreamConnector(transport.clientChannel(),
                (int) limits.connectTimeout().toMillis(), limits.maxInitialLineLength(), limits.maxResponseHeaderSize(),
                limits.maxChunkSize(), WATER_MARK);
        Http2Installer http2 = new Http2Installer(new Http2UpstreamConnector(transport.clientChannel(),
                (int) limits.connectTimeout().toMillis(), WATER_MARK, http2Limits, limits.maxResponseHeaderSize()),
                accessLog, limits.idleTimeout(), limits.websocketIdleTimeout());
        // Consulted in order on the first bytes. Kafka takes what cannot start HTTP; the HTTP
        // branches refuse ports whose L7 rules are Kafka rules only.
        KafkaConnector kafkaConnector = new KafkaConnector(transport.clientChannel(),
                (int) limits.connectTimeout().toMillis(), WATER_MARK);
        List<ProtocolBranch> branches = List.of(new KafkaBranch(kafkaConnector, accessLog, kafka),
                KafkaBranch.refusingOnKafkaPorts(new Http2PriorKnowledgeBranch(http2), accessLog),
                KafkaBranch.refusingOnKafkaPorts(new Http1Branch(limits, upstream, accessLog, http2), accessLog));
        Map<InetSocketAddress, Integer> unclaimed = new LinkedHashMap<>(inherited);
        try {
            if (!inherited.isEmpty() && !transport.name().equals("epoll")) {
                throw new IOException("listening sockets handed over need the epoll transport");
            }
            for (Listener listener : listeners) {
                Integer fd = claim(unclaimed, listener.address);
                ServerBootstrap bootstrap = new ServerBootstrap().group(group)
                        .option(ChannelOption.AUTO_READ, false)
                        .option(ChannelOption.SO_BACKLOG, 1024)
                        .option(ChannelOption.SO_REUSEADDR, true)
                        .childOption(ChannelOption.AUTO_READ, false)
                        .childOption(ChannelOption.TCP_NODELAY, true)
                        .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                        .childHandler(new ProxyInitializer(listener.resolver, policy, accessLog, limits, branches,
                                this::accepted));
                Channel channel = fd == null ? bind(bootstrap.channel(transport.serverChannel()), listener.address)
                        : adopt(bootstrap.channelFactory(() -> new EpollServerSocketChannel(fd)), fd);
                bound.add(channel);
                LOG.log(System.Logger.Level.INFO, "proxy " + (fd == null ? "listening" : "took over listening") + " on "
                        + channel.localAddress() + " (" + transport.name() + ")");
            }
            // Accepting starts once every listener is up: a start that fails half-way has taken no
            // connection, so the connections queued on sockets handed over stay for the old proxy.
            for (Channel channel : bound) {
                channel.config().setAutoRead(true);
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        } finally {
            unclaimed.values().forEach(ProxyServer::closeDescriptor);
        }
    }

    private static Channel bind(ServerBootstrap bootstrap, InetSocketAddress address) throws BindException {
        try {
            return bootstrap.bind(address).syncUninterruptibly().channel();
        } catch (Exception e) {
            BindException bind = new BindException("cannot bind proxy listener " + address + ": " + e.getMessage());
            bind.initCause(e);
            throw bind;
        }
    }

    /** Registers a socket that is already bound and listening (accepting starts with auto-read). */
    private static Channel adopt(ServerBootstrap bootstrap, int fd) throws IOException {
        ChannelFuture registered = bootstrap.register().syncUninterruptibly();
        if (!registered.isSuccess()) {
            throw new IOException("cannot accept on the listening socket handed over (fd " + fd + "): "
                    + registered.cause(), registered.cause());
        }
        return registered.channel();
    }

    /** The inherited socket for {@code address}: the same address, or the first of its IP when the port is 0. */
    private static Integer claim(Map<InetSocketAddress, Integer> unclaimed, InetSocketAddress address) {
        Integer exact = unclaimed.remove(address);
        if (exact != null || address.getPort() != 0) {
            return exact;
        }
        for (Iterator<Map.Entry<InetSocketAddress, Integer>> it = unclaimed.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<InetSocketAddress, Integer> entry = it.next();
            if (entry.getKey().getAddress().equals(address.getAddress())) {
                it.remove();
                return entry.getValue();
            }
        }
        return null;
    }

    private static void closeDescriptor(int fd) {
        try {
            new FileDescriptor(fd).close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing an unused listening socket handed over: " + e.getMessage());
        }
    }

    /**
     * The listening sockets by bound address, for handing them to a new proxy process. Needs the
     * epoll transport (the only one that can pass sockets on).
     */
    public synchronized Map<InetSocketAddress, Integer> listeningSockets() {
        Map<InetSocketAddress, Integer> sockets = new LinkedHashMap<>();
        for (Channel channel : bound) {
            if (!(channel instanceof UnixChannel epoll)) {
                throw new IllegalStateException("listening sockets can be handed over with the epoll transport only");
            }
            sockets.put((InetSocketAddress) channel.localAddress(), epoll.fd().intValue());
        }
        return sockets;
    }

    private void accepted(Channel channel) {
        connections.add(channel);
        if (draining) {
            Drain.start(channel);
        }
    }

    /** Client connections open now. */
    public int connections() {
        return connections.size();
    }

    /**
     * Stops accepting and lets every open connection end at a boundary of its protocol; at
     * {@code deadline} those still open are closed. Blocks until all are closed.
     *
     * @return how many connections had to be closed at the deadline
     */
    public int drain(Duration deadline) {
        draining = true;
        connections.forEach(Drain::start);
        stopAccepting();
        long end = System.nanoTime() + deadline.toNanos();
        while (!connections.isEmpty() && System.nanoTime() < end) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int cut = connections.size();
        if (cut > 0) {
            connections.close().awaitUninterruptibly();
        }
        return cut;
    }

    /** Closes the listening channels (this process's copies of the sockets); open connections carry on. */
    public synchronized void stopAccepting() {
        for (Channel channel : bound) {
            channel.close().syncUninterruptibly();
        }
        bound.clear();
    }

    /** The address listener {@code index} (in builder order) is bound to; useful with port 0. */
    public synchronized InetSocketAddress boundAddress(int index) {
        if (index >= bound.size()) {
            throw new IllegalStateException("listener " + index + " is not bound");
        }
        return (InetSocketAddress) bound.get(index).localAddress();
    }

    public int boundPort(int index) {
        return boundAddress(index).getPort();
    }

    /** Stops accepting, closes every connection (and with it its upstream connections) and the event loops. */
    @Override
    public synchronized void close() {
        stopAccepting();
        connections.close().awaitUninterruptibly();
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            group = null;
        }
    }

    private record Listener(InetSocketAddress address, ConnectionResolver resolver) {
    }

    /** Builder; policy, access log and at least one listener are required. */
    public static final class Builder {
        private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        private HttpLimits limits = HttpLimits.DEFAULTS;
        private Http2Limits http2Limits = Http2Limits.DEFAULTS;
        private KafkaConfig kafka = KafkaConfig.DEFAULTS;
        private Supplier<PolicySnapshot> policy;
        private AccessLog accessLog;
        private final List<Listener> listeners = new ArrayList<>();

        /** Event-loop threads shared by all listeners and upstream connections (default: CPUs). */
        public Builder eventLoopThreads(int n) {
            if (n <= 0) {
                throw new IllegalArgumentException("eventLoopThreads must be > 0");
            }
            threads = n;
            return this;
        }

        public Builder limits(HttpLimits value) {
            limits = Objects.requireNonNull(value, "limits");
            return this;
        }

        public Builder http2Limits(Http2Limits value) {
            http2Limits = Objects.requireNonNull(value, "http2Limits");
            return this;
        }

        public Builder kafka(KafkaConfig value) {
            kafka = Objects.requireNonNull(value, "kafka");
            return this;
        }

        /** Read per request; a null snapshot denies everything. */
        public Builder policy(Supplier<PolicySnapshot> value) {
            policy = value;
            return this;
        }

        public Builder accessLog(AccessLog value) {
            accessLog = value;
            return this;
        }

        public Builder listener(InetSocketAddress bind, ConnectionResolver resolver) {
            listeners.add(new Listener(Objects.requireNonNull(bind, "bind"), Objects.requireNonNull(resolver, "resolver")));
            return this;
        }

        public ProxyServer build() {
            return new ProxyServer(this);
        }
    }
}
