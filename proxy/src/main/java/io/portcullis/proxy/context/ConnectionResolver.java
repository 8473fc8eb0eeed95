package io.portcullis.proxy.context;

import io.netty.channel.Channel;

/**
 * Says who an accepted connection is from and where it was going. One implementation per
 * datapath: {@link StaticUpstreamResolver} for {@code datapath: none} (an explicit reverse proxy),
 * the redirect module's for transparent redirection. Called once per accepted connection on its
 * event loop; must not block.
 *
 * <p>Fail closed: throwing (or returning null) closes the connection before any byte is read.
 */
@FunctionalInterface
public interface ConnectionResolver {
    ConnectionContext resolve(Channel accepted) throws Exception;
}
