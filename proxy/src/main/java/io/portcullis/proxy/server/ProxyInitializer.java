package io.portcullis.proxy.server;

import io.portcullis.config.HttpLimits;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.portcullis.policy.resolve.PolicySnapshot;
import io.portcullis.proxy.channel.Flushes;
import io.portcullis.proxy.accesslog.AccessLog;
import io.portcullis.proxy.context.ConnectionResolver;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Wires the downstream pipeline of one listener: the gate (identity, L3/L4), then the protocol
 * sniffer, which installs the pipeline of the protocol the first bytes announce. All behaviour
 * lives in the handlers.
 */
final class ProxyInitializer extends ChannelInitializer<Channel> {
    private final ConnectionResolver resolver;
    private final Supplier<PolicySnapshot> policy;
    private final AccessLog accessLog;
    private final HttpLimits limits;
    private final List<ProtocolBranch> branches;
    private final Consumer<Channel> accepted;

    ProxyInitializer(ConnectionResolver resolver, Supplier<PolicySnapshot> policy, AccessLog accessLog,
                     HttpLimits limits, List<ProtocolBranch> branches, Consumer<Channel> accepted) {
        this.resolver = resolver;
        this.policy = policy;
        this.accessLog = accessLog;
        this.limits = limits;
        this.branches = branches;
        this.accepted = accepted;
    }

    @Override
    protected void initChannel(Channel ch) {
        accepted.accept(ch);
        ch.pipeline().addLast("flush", Flushes.consolidating())
                .addLast("gate", new ConnectionGate(resolver, policy, accessLog))
                .addLast("sniffer", new ProtocolSniffer(branches, limits.headerReadTimeout()));
    }
}
