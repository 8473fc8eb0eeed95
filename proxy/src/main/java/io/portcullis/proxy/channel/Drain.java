package io.portcullis.proxy.channel;

import io.netty.channel.Channel;
import java.time.Duration;
import io.netty.util.AttributeKey;

/**
 * A proxy that stops (its listeners handed to a new proxy, or told to stop) lets each connection
 * finish at a boundary its protocol defines instead of cutting it: HTTP/1.1 answers the next
 * response with {@code Connection: close}, HTTP/2 sends GOAWAY with the last stream it took and
 * ends when its streams have, Kafka answers the requests in flight and then closes. Handlers
 * learn it from {@link #EVENT} (fired once, on the connection's event loop) and from
 * {@link #isDraining} for connections whose protocol handler is installed later.
 */
public final class Drain {
    /** The user event that starts draining a connection. */
    public static final Object EVENT = new Object() {
        @Override
        public String toString() {
            return "Drain.EVENT";
        }
    };

    /**
     * How long a draining connection without a request in progress stays open: a request the
     * client sent before it learnt of the drain (GOAWAY, or the next response) is still on its way,
     * and closing with it unread would reset the connection under the client.
     */
    public static final Duration GRACE = Duration.ofSeconds(1);

    private static final AttributeKey<Boolean> DRAINING = AttributeKey.valueOf("portcullis.draining");

    private Drain() {
    }

    /** Marks {@code channel} draining and tells its handlers; runs on the channel's event loop. */
    public static void start(Channel channel) {
        channel.eventLoop().execute(() -> {
            channel.attr(DRAINING).set(Boolean.TRUE);
            channel.pipeline().fireUserEventTriggered(EVENT);
        });
    }

    public static boolean isDraining(Channel channel) {
        return Boolean.TRUE.equals(channel.attr(DRAINING).get());
    }
}
