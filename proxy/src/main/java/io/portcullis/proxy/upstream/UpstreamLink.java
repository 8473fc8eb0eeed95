package io.portcullis.proxy.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;
import java.util.Objects;

/**
 * The upstream connection of one downstream connection, as in Netty's HexDumpProxy: opened
 * ({@link #open()}) on the downstream's event loop, holding what is sent before the connect completes and
 * writing it once it does, and closed by either side. Auto-read is off on the upstream; the
 * owner reads it ({@link #read()}) when its client can take more, and reads its client when
 * {@link #writable()}. Messages are reference counted: what is held when the link closes is
 * released. Confined to the owner's event loop.
 *
 * <p>Each callback concerns the current connection only: one that was replaced or closed meanwhile
 * is ignored ({@link #is(Channel)} lets the owner do the same for its own upstream events).
 *
 * @param <T> what the owner writes upstream (HTTP objects, Kafka frames)
 */
public final class UpstreamLink<T> {
    /** The protocol side of the link, called on the owner's event loop. */
    public interface Owner<T> {
        /** Starts a connection (marked, on the owner's event loop) that reports to the owner. */
        ChannelFuture open();

        /** Writes one message to the connected upstream ({@code upstream} is the current channel). */
        void write(Channel upstream, T message);

        /** The connect succeeded and what was held was written and flushed. */
        void connected(Channel upstream);

        /** The connect failed; what was held has been released and the link is closed. */
        void connectFailed(Throwable cause);
    }

    private final Owner<T> owner;
    private final ArrayDeque<T> held = new ArrayDeque<>();
    private Channel channel;
    private boolean connected;

    public UpstreamLink(Owner<T> owner) {
        this.owner = Objects.requireNonNull(owner, "owner");
    }

    /** Opens a connection unless one is open or opening. */
    public void open() {
        if (channel != null) {
            return;
        }
        ChannelFuture connect = owner.open();
        Channel opening = connect.channel();
        channel = opening;
        connected = false;
        connect.addListener((ChannelFutureListener) f -> {
            if (opening != channel) {
                return;
            }
            if (!f.isSuccess()) {
                close();
                owner.connectFailed(f.cause());
                return;
            }
            connected = true;
            for (T message; (message = held.poll()) != null; ) {
                owner.write(opening, message);
            }
            opening.flush();
            owner.connected(opening);
        });
    }

    /**
     * Writes {@code message} through the owner now, or holds it until the connect completes. With
     * no connection (never opened, or closed) the message is released: it has nowhere to go.
     */
    public void send(T message) {
        if (connected) {
            owner.write(channel, message);
        } else if (channel != null) {
            held.add(message);
        } else {
            ReferenceCountUtil.release(message);
        }
    }

    /** Whether {@code ch} is the current connection (events of an earlier one are stale). */
    public boolean is(Channel ch) {
        return ch != null && ch == channel;
    }

    public boolean isOpen() {
        return channel != null;
    }

    public boolean connected() {
        return connected;
    }

    /** Connected, and its write buffer is below the high water mark: the client may be read. */
    public boolean writable() {
        return connected && channel.isWritable();
    }

    /** Asks for the next upstream read, once connected (auto-read is off). */
    public void read() {
        if (connected) {
            channel.read();
        }
    }

    public void flush() {
        if (connected) {
            channel.flush();
        }
    }

    /** Closes the connection, if any, and releases what was held for it; idempotent. */
    public void close() {
        Channel ch = channel;
        channel = null;
        connected = false;
        for (T message; (message = held.poll()) != null; ) {
            ReferenceCountUtil.release(message);
        }
        if (ch != null) {
            ch.close();
        }
    }
}
