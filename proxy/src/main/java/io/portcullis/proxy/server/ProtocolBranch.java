package io.portcullis.proxy.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * One protocol the {@link ProtocolSniffer} can hand a connection to. Branches are consulted in
 * order on the first bytes of a connection: the first to say {@link Match#YES} gets it, a
 * {@link Match#NEED_MORE} waits for more bytes before any later branch is asked, and a connection
 * every branch refuses is closed. A new protocol (Kafka) is a new branch placed where its first
 * bytes cannot be mistaken: a Kafka request starts with a length whose first byte is 0x00, which
 * neither the HTTP/2 preface nor an HTTP/1.1 method can start with.
 */
public interface ProtocolBranch {
    enum Match { YES, NO, NEED_MORE }

    /** For logs. */
    String name();

    /** Looks at the readable bytes of {@code prefix} (at least one) without consuming them. */
    Match match(ByteBuf prefix);

    /**
     * Appends this protocol's handlers to the pipeline of {@code channel} (after the sniffer,
     * which then removes itself and passes the bytes it holds on). Auto-read is off; the handlers
     * receive {@code channelActive} right after installation.
     */
    void install(Channel channel);
}
