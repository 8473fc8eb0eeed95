package io.portcullis.proxy.kafka;

import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;

import java.net.InetSocketAddress;

/** Opens broker connections; an interface so that tests can hand in an embedded channel. */
interface UpstreamOpener {
    ChannelFuture connect(EventLoop loop, InetSocketAddress address, UpstreamEvents events);
}
