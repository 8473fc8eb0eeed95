package io.portcullis.proxy.kafka;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.portcullis.proxy.accesslog.AccessLog;
import io.portcullis.proxy.accesslog.AccessLogEntry;
import io.portcullis.proxy.context.ConnectionContext;
import io.portcullis.proxy.logging.RateLimitedLogger;
import io.portcullis.proxy.policy.ConnectionPolicy;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose protocol the port's policy does not speak, with one log line and one
 * denied access-log record. Nothing of it is read or forwarded.
 */
final class ProtocolRefusal extends ChannelInboundHandlerAdapter {
    private static final RateLimitedLogger LOG =
            new RateLimitedLogger(System.getLogger(ProtocolRefusal.class.getName()), 10, TimeUnit.SECONDS);

    private final String protocol;
    private final AccessLog accessLog;
    private final String reason;

    ProtocolRefusal(String protocol, AccessLog accessLog, String reason) {
        this.protocol = protocol;
        this.accessLog = accessLog;
        this.reason = reason;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        LOG.log(System.Logger.Level.INFO, reason, "closing connection from " + ctx.channel().remoteAddress() + ": "
                + reason);
        ConnectionPolicy policy = ctx.channel().attr(ConnectionPolicy.CHANNEL_ATTRIBUTE).get();
        if (policy != null) {
            ConnectionContext c = policy.connection();
            accessLog.log(new AccessLogEntry(Instant.now(), AccessLogEntry.Type.REQUEST, AccessLogEntry.Verdict.DENIED,
                    null, protocol, c.source(), c.destination(), null, null, reason, -1));
        }
        ctx.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }
}
