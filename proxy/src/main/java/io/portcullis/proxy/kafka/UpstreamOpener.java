package io.portcullis.proxy.kafka;

import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;

import java.net.InetSocketAddress;

/** Opens broker connections; an interface so that tests can hand in an embedded channel. */
interface UpstreamOpener {
    /** @param mark the broker socket's {@code SO_MARK}, 0 for none */
    ChannelFuture connect(EventLoop loop, InetSocketAddress address, int mark, UpstreamEvents events);
}
