package io.portcullis.parsers.http2;

import io.netty.buffer.ByteBuf;

/**
 * Follows the frame boundaries of a client's HTTP/2 byte stream without buffering or consuming
 * anything, and reports the floods that Netty's codec does not count itself:
 * <ul>
 *   <li>more than {@code maxContinuationFrames} CONTINUATION frames after one HEADERS frame (the
 *       2024 CONTINUATION flood: a header block that never ends, or ends after thousands of
 *       tiny frames, costs the server without ever reaching a size limit);</li>
 *   <li>more than {@code maxControlFrames} SETTINGS, PING or PRIORITY frames within one window
 *       (each is cheap to send and costs the server a decode and, for SETTINGS and PING, an
 *       acknowledgement).</li>
 * </ul>
 * The connection preface (24 bytes) is skipped; its validity is the codec's business. Only frame
 * headers are read: a 9-byte header split across reads is reassembled in a small array.
 */
public final class Http2FrameScanner {
    static final int PREFACE_LENGTH = 24;
    private static final int HEADER_LENGTH = 9;
    private static final int PRIORITY = 2;
    private static final int HEADERS = 1;
    private static final int SETTINGS = 4;
    private static final int PUSH_PROMISE = 5;
    private static final int PING = 6;
    private static final int CONTINUATION = 9;
    private static final int END_HEADERS = 0x4;

    private final int maxContinuationFrames;
    private final int maxControlFrames;
    private final long windowNanos;
    private final byte[] header = new byte[HEADER_LENGTH];
    private int prefaceRemaining = PREFACE_LENGTH;
    private int headerFill;
    private long payloadRemaining;
    private boolean inHeaderBlock;
    private int continuations;
    private long windowStart;
    private boolean windowStarted;
    private int controlFrames;
    private int frameStart;

    public Http2FrameScanner(int maxContinuationFrames, int maxControlFrames, long windowNanos) {
        this.maxContinuationFrames = maxContinuationFrames;
        this.maxControlFrames = maxControlFrames;
        this.windowNanos = windowNanos;
    }

    /**
     * Scans the readable bytes of {@code in} (indices untouched).
     *
     * @return null, or the reason the connection must end with ENHANCE_YOUR_CALM; then
     *         {@link #violationStart()} tells where the offending frame begins
     */
    public String scan(ByteBuf in, long nowNanos) {
        int i = in.readerIndex();
        int end = in.writerIndex();
        frameStart = i;
        while (i < end) {
            if (prefaceRemaining > 0) {
                int skip = Math.min(prefaceRemaining, end - i);
                prefaceRemaining -= skip;
                i += skip;
            } else if (payloadRemaining > 0) {
                long skip = Math.min(payloadRemaining, end - i);
                payloadRemaining -= skip;
                i += (int) skip;
            } else {
                if (headerFill == 0) {
                    frameStart = i;
                }
                int take = Math.min(HEADER_LENGTH - headerFill, end - i);
                in.getBytes(i, header, headerFill, take);
                headerFill += take;
                i += take;
                if (headerFill == HEADER_LENGTH) {
                    headerFill = 0;
                    payloadRemaining = (header[0] & 0xffL) << 16 | (header[1] & 0xff) << 8 | header[2] & 0xff;
                    String violation = onFrame(header[3] & 0xff, header[4] & 0xff, nowNanos);
                    if (violation != null) {
                        return violation;
                    }
                }
            }
        }
        return null;
    }

    /**
     * Index, in the buffer last scanned, where the frame that caused the violation begins (its
     * reader index when the frame began in an earlier buffer): the bytes before it are whole
     * frames the codec may still process, so that it can answer with a proper GOAWAY.
     */
    public int violationStart() {
        return frameStart;
    }

    private String onFrame(int type, int flags, long now) {
        switch (type) {
            case HEADERS:
            case PUSH_PROMISE:
                inHeaderBlock = (flags & END_HEADERS) == 0;
                continuations = 0;
                return null;
            case CONTINUATION:
                if (inHeaderBlock && ++continuations > maxContinuationFrames) {
                    return "more than " + maxContinuationFrames + " CONTINUATION frames in one header block";
                }
                inHeaderBlock &= (flags & END_HEADERS) == 0;
                return null;
            case SETTINGS:
            case PING:
            case PRIORITY:
                if (!windowStarted || now - windowStart >= windowNanos) {
                    windowStarted = true;
                    windowStart = now;
                    controlFrames = 0;
                }
                if (++controlFrames > maxControlFrames) {
                    return "more than " + maxControlFrames + " SETTINGS/PING/PRIORITY frames within "
                            + windowNanos / 1_000_000 + " ms";
                }
                return null;
            default:
                return null;
        }
    }
}
