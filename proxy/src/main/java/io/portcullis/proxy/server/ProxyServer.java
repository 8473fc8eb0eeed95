package io.portcullis.proxy.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.portcullis.policy.resolve.PolicySnapshot;
import io.portcullis.proxy.accesslog.AccessLog;
import io.portcullis.proxy.context.ConnectionResolver;
import io.portcullis.proxy.http2.Http2Installer;
import io.portcullis.proxy.http2.Http2UpstreamConnector;
import io.portcullis.proxy.kafka.KafkaBranch;
import io.portcullis.proxy.kafka.KafkaConnector;
import io.portcullis.proxy.upstream.UpstreamConnector;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
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
 */
public final class ProxyServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ProxyServer.class.getName());
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 64 * 1024);

    private final int threads;
    private final HttpLimits limits;
    private final Supplier<PolicySnapshot> policy;
    private final AccessLog accessLog;
    private final List<Listener> listeners;
    private final List<Channel> bound = new ArrayList<>();
    private EventLoopGroup group;

    private ProxyServer(Builder b) {
        this.threads = b.threads;
        this.limits = b.limits;
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
    public synchronized void start() throws IOException {
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
                (int) limits.connectTimeout().toMillis(), WATER_MARK, limits.http2(), limits.maxResponseHeaderSize()),
                accessLog, limits.idleTimeout());
        // Consulted in order on the first bytes. Kafka takes what cannot start HTTP; the HTTP
        // branches refuse ports whose L7 rules are Kafka rules only.
        KafkaConnector kafka = new KafkaConnector(transport.clientChannel(), (int) limits.connectTimeout().toMillis(),
                WATER_MARK);
        List<ProtocolBranch> branches = List.of(new KafkaBranch(kafka, accessLog),
                KafkaBranch.refusingOnKafkaPorts(new Http2PriorKnowledgeBranch(http2), accessLog),
                KafkaBranch.refusingOnKafkaPorts(new Http1Branch(limits, upstream, accessLog, http2), accessLog));
        try {
            for (Listener listener : listeners) {
                ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(transport.serverChannel())
                        .option(ChannelOption.SO_BACKLOG, 1024)
                        .option(ChannelOption.SO_REUSEADDR, true)
                        .childOption(ChannelOption.AUTO_READ, false)
                        .childOption(ChannelOption.TCP_NODELAY, true)
                        .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                        .childHandler(new ProxyInitializer(listener.resolver, policy, accessLog, limits, branches));
                Channel channel;
                try {
                    channel = bootstrap.bind(listener.address).syncUninterruptibly().channel();
                } catch (Exception e) {
                    BindException bind = new BindException("cannot bind proxy listener " + listener.address + ": "
                            + e.getMessage());
                    bind.initCause(e);
                    throw bind;
                }
                bound.add(channel);
                LOG.log(System.Logger.Level.INFO, "proxy listening on " + channel.localAddress() + " (" + transport.name()
                        + ")");
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
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

    /** Stops accepting, closes every connection and the event loops. */
    @Override
    public synchronized void close() {
        for (Channel channel : bound) {
            channel.close().syncUninterruptibly();
        }
        bound.clear();
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
