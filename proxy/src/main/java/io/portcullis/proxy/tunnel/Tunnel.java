package io.portcullis.proxy.tunnel;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One client connection joined to one upstream connection, both on the same event loop. Counts
 * the bytes each way and reports the end once ({@link Closed}).
 */
public final class Tunnel {
    /** How a tunnel ended: the side that closed, an error, or the idle timeout. */
    public interface Closed {
        void closed(String reason, long bytesFromClient, long bytesToClient, long durationNanos);
    }

    private final Channel client;
    private final Channel upstream;
    private final Closed closed;
    private final long startNanos = System.nanoTime();
    private long fromClient;
    private long toClient;
    private boolean ended;

    private Tunnel(Channel client, Channel upstream, Closed closed) {
        this.client = client;
        this.upstream = upstream;
        this.closed = closed;
    }

    /**
     * Adds the relays at the end of both pipelines (the client's with an idle timer) and starts
     * reading. The caller removes the protocol handlers afterwards; bytes their decoders still
     * hold then reach the relays.
     */
    public static Tunnel join(Channel client, Channel upstream, Duration idleTimeout, Closed closed) {
        Tunnel tunnel = new Tunnel(client, upstream, closed);
        ChannelPipeline clientPipeline = client.pipeline();
        // One timer covers both directions: what the upstream sends is written to the client.
        clientPipeline.addLast("tunnel-idle", new IdleStateHandler(0, 0, idleTimeout.toNanos(), TimeUnit.NANOSECONDS));
        clientPipeline.addLast("tunnel", new TunnelRelay(tunnel, true));
        upstream.pipeline().addLast("tunnel", new TunnelRelay(tunnel, false));
        return tunnel;
    }

    Channel peer(boolean clientSide) {
        return clientSide ? upstream : client;
    }

    void carried(boolean clientSide, int bytes) {
        if (clientSide) {
            fromClient += bytes;
        } else {
            toClient += bytes;
        }
    }

    /** Ends the tunnel: both connections close once what was written to them is flushed. */
    void end(String reason) {
        if (ended) {
            return;
        }
        ended = true;
        closeAfterFlush(client);
        closeAfterFlush(upstream);
        closed.closed(reason, fromClient, toClient, System.nanoTime() - startNanos);
    }

    private static void closeAfterFlush(Channel ch) {
        if (ch.isActive()) {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            ch.close();
        }
    }
}
