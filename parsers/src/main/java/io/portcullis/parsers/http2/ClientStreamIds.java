package io.portcullis.parsers.http2;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashSet;

/**
 * The history of a client's stream identifiers, as far as RFC 9113 §5.1 needs it and the codec
 * does not keep it: Netty forgets a stream once it closed, so it cannot tell a stream that was
 * used and ended (a frame on it is a connection error STREAM_CLOSED) from an identifier the client
 * passed over when it opened a higher one (implicitly closed without ever being opened: reusing it
 * is a connection error PROTOCOL_ERROR), nor either from a stream that was reset before the client
 * ended it (late frames on it are ignored or refused per stream). Only odd (client) identifiers
 * are followed; the rest is the codec's business.
 * <p>
 * Memory is bounded: the most recent {@value #MAX_SKIPPED_RANGES} ranges of passed-over
 * identifiers and {@value #MAX_UNENDED} streams not ended by the client are kept. A stream that
 * falls out of either counts as ended, so a frame on it long after is a connection error, which
 * RFC 9113 §5.1 allows for frames arriving a significant time after a reset.
 */
final class ClientStreamIds {
    static final int MAX_SKIPPED_RANGES = 64;
    static final int MAX_UNENDED = 1024;

    enum State {
        /** New, or open and not yet ended by the client, or not a client stream: the codec judges. */
        OPEN,
        /** An identifier below the highest opened one that the client never opened. */
        NEVER_OPENED,
        /** A stream the client already ended with END_STREAM. */
        ENDED
    }

    private int highestOpened = -1;
    private final ArrayDeque<int[]> skipped = new ArrayDeque<>();
    private final LinkedHashSet<Integer> unended = new LinkedHashSet<>();

    State onHeaders(int stream, boolean endStream) {
        if (!clientStream(stream)) {
            return State.OPEN;
        }
        if (stream > highestOpened) {
            if (stream > highestOpened + 2) {
                remember(skipped, new int[]{highestOpened + 2, stream - 2}, MAX_SKIPPED_RANGES);
            }
            highestOpened = stream;
            if (!endStream) {
                unended.add(stream);
                if (unended.size() > MAX_UNENDED) {
                    Iterator<Integer> oldest = unended.iterator();
                    oldest.next();
                    oldest.remove();
                }
            }
            return State.OPEN;
        }
        return known(stream, endStream);
    }

    State onData(int stream, boolean endStream) {
        if (!clientStream(stream) || stream > highestOpened) {
            return State.OPEN;   // DATA on an idle stream: the codec's connection error
        }
        return known(stream, endStream);
    }

    private State known(int stream, boolean endStream) {
        for (int[] range : skipped) {
            if (stream >= range[0] && stream <= range[1]) {
                return State.NEVER_OPENED;
            }
        }
        if (!unended.contains(stream)) {
            return State.ENDED;
        }
        if (endStream) {
            unended.remove(stream);
        }
        return State.OPEN;
    }

    private static boolean clientStream(int stream) {
        return (stream & 1) == 1;
    }

    private static void remember(ArrayDeque<int[]> ranges, int[] range, int max) {
        ranges.addLast(range);
        if (ranges.size() > max) {
            ranges.removeFirst();
        }
    }
}
