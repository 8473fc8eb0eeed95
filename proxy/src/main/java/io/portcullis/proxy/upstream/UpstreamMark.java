package io.portcullis.proxy.upstream;

import io.netty.channel.Channel;
import io.netty.channel.unix.UnixChannel;
import io.portcullis.bpf.SocketMark;

/**
 * Puts the connection's {@code SO_MARK} on an upstream socket before it connects, so that every
 * packet (the SYN included) tells the kernel datapath the proxy sent it and for which identity.
 */
public final class UpstreamMark {
    private UpstreamMark() {
    }

    /** No-op for mark 0; fails (closing the connection) when a mark is asked but cannot be set. */
    public static void apply(Channel channel, int mark) {
        if (mark == 0) {
            return;
        }
        if (!(channel instanceof UnixChannel unix)) {
            throw new IllegalStateException("upstream marks need the epoll transport, not "
                    + channel.getClass().getSimpleName());
        }
        SocketMark.set(unix.fd().intValue(), mark);
    }
}
