package io.portcullis.proxy.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.portcullis.parsers.http1.StrictHttpRequestDecoder;
import io.portcullis.policy.resolve.PolicySnapshot;
import io.portcullis.proxy.accesslog.AccessLog;
import io.portcullis.proxy.context.ConnectionResolver;
import io.portcullis.proxy.http1.Http1ProxyHandler;
import io.portcullis.proxy.http1.ProxyResponseEncoder;
import io.portcullis.proxy.http1.RequestTimer;
import io.portcullis.proxy.http1.RequestValidationHandler;
import io.portcullis.proxy.upstream.UpstreamConnector;

import java.util.function.Supplier;

/** Wires the downstream pipeline of one listener; all behaviour lives in the handlers. */
final class ProxyInitializer extends ChannelInitializer<Channel> {
    private final ConnectionResolver resolver;
    private final Supplier<PolicySnapshot> policy;
    private final AccessLog accessLog;
    private final HttpLimits limits;
    private final UpstreamConnector upstream;

    ProxyInitializer(ConnectionResolver resolver, Supplier<PolicySnapshot> policy, AccessLog accessLog,
                     HttpLimits limits, UpstreamConnector upstream) {
        this.resolver = resolver;
        this.policy = policy;
        this.accessLog = accessLog;
        this.limits = limits;
        this.upstream = upstream;
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.pipeline().addLast("gate", new ConnectionGate(resolver, policy, accessLog))
                .addLast("timer", new RequestTimer(limits.headerReadTimeout(), limits.idleTimeout()))
                .addLast("decoder", new StrictHttpRequestDecoder(limits.maxInitialLineLength(), limits.maxHeaderSize(),
                        limits.maxChunkSize()))
                .addLast("encoder", new ProxyResponseEncoder())
                .addLast("validator", new RequestValidationHandler())
                .addLast("proxy", new Http1ProxyHandler(upstream, accessLog, limits.maxDiscardedBody()));
    }
}
