package io.portcullis.proxy.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.portcullis.policy.resolve.L4Verdict;
import io.portcullis.policy.resolve.PolicySnapshot;
import io.portcullis.proxy.accesslog.AccessLog;
import io.portcullis.proxy.accesslog.AccessLogEntry;
import io.portcullis.proxy.context.ConnectionContext;
import io.portcullis.proxy.context.ConnectionResolver;
import io.portcullis.proxy.logging.RateLimitedLogger;
import io.portcullis.proxy.policy.ConnectionPolicy;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * First handler of an accepted connection: resolves who it is from and where it goes, and
 * applies the L3/L4 verdict before any byte is read. A connection that cannot be resolved or is
 * denied is closed (fail closed); otherwise the {@link ConnectionPolicy} is published on the
 * channel for the HTTP handlers and the gate removes itself.
 */
final class ConnectionGate extends ChannelInboundHandlerAdapter {
    private static final RateLimitedLogger LOG =
            new RateLimitedLogger(System.getLogger(ConnectionGate.class.getName()), 10, TimeUnit.SECONDS);

    private final ConnectionResolver resolver;
    private final Supplier<PolicySnapshot> policy;
    private final AccessLog accessLog;

    ConnectionGate(ConnectionResolver resolver, Supplier<PolicySnapshot> policy, AccessLog accessLog) {
        this.resolver = resolver;
        this.policy = policy;
        this.accessLog = accessLog;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ConnectionPolicy connectionPolicy;
        L4Verdict verdict;
        try {
            ConnectionContext context = resolver.resolve(ctx.channel());
            if (context == null) {
                throw new IllegalStateException("resolver returned no context");
            }
            connectionPolicy = new ConnectionPolicy(policy, context);
            verdict = connectionPolicy.l4();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "resolve", "closing connection from " + ctx.channel().remoteAddress()
                    + ": cannot resolve it: " + e);
            ctx.close();
            return;
        }
        if (verdict == L4Verdict.DENIED) {
            ConnectionContext c = connectionPolicy.connection();
            accessLog.log(new AccessLogEntry(Instant.now(), AccessLogEntry.Type.REQUEST, AccessLogEntry.Verdict.DENIED,
                    null, "http", c.source(), c.destination(), null, null, "connection denied by L3/L4 policy", -1));
            ctx.close();
            return;
        }
        ctx.channel().attr(ConnectionPolicy.CHANNEL_ATTRIBUTE).set(connectionPolicy);
        ctx.pipeline().remove(this);
        ctx.fireChannelActive();
    }
}
