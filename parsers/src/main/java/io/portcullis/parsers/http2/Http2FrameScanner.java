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
 * It also follows the client's stream identifiers ({@link ClientStreamIds}) and stops at the
 * frames whose meaning depends on a stream's history (RFC 9113 §5.1): HEADERS or DATA on a
 * stream identifier the client skipped, and on a stream the client already ended.
 * The connection preface (24 bytes) is skipped; its validity is the codec's business. Only frame
 * headers are read: a 9-byte header split across reads is reassembled in a small array.
 */
public final class Http2FrameScanner {
    /** What a scan stopped at. */
    public enum Finding {
        /** A flood: the connection ends with ENHANCE_YOUR_CALM. */
        FLOOD,
        /** HEADERS or DATA on a stream identifier the client passed over: connection error PROTOCOL_ERROR. */
        STREAM_NEVER_OPENED,
        /**
         * HEADERS or DATA on a stream after the client's END_STREAM: STREAM_CLOSED, a stream error while
         * the stream is half-closed (remote), a connection error once it is closed. The scan may
         * resume at {@link #resumeIndex()}.
         */
        AFTER_END_STREAM
    }

    private static final int DATA = 0;
    private static final int END_STREAM = 0x1;
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
    private int resumeIndex;
    private Finding finding;
    private int findingStream;
    private final ClientStreamIds streams = new ClientStreamIds();

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
        return scan(in, in.readerIndex(), nowNanos);
    }

    /**
     * Scans the bytes of {@code in} from {@code from} on (after an {@link Finding#AFTER_END_STREAM}
     * the caller resumes at {@link #resumeIndex()}).
     *
     * @return null, or why the scan stopped ({@link #finding()} says what it found, at
     *         {@link #violationStart()}, on {@link #findingStream()})
     */
    public String scan(ByteBuf in, int from, long nowNanos) {
        int i = from;
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
                    int stream = (header[5] & 0x7f) << 24 | (header[6] & 0xff) << 16 | (header[7] & 0xff) << 8
                            | header[8] & 0xff;
                    String violation = onFrame(header[3] & 0xff, header[4] & 0xff, stream, nowNanos);
                    if (violation != null) {
                        resumeIndex = i;
                        findingStream = stream;
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

    /** What the last scan stopped at; meaningful only when it returned a reason. */
    public Finding finding() {
        return finding;
    }

    /** The stream identifier of the frame the last scan stopped at. */
    public int findingStream() {
        return findingStream;
    }

    /** Index just after the header of the frame the last scan stopped at. */
    public int resumeIndex() {
        return resumeIndex;
    }

    /** Stream 1 was opened, and ended by the client, by an HTTP/1.1 request upgraded to h2c. */
    public void streamOneOpenedByUpgrade() {
        streams.onHeaders(1, true);
    }

    private String onFrame(int type, int flags, int stream, long now) {
        finding = Finding.FLOOD;
        if (type == HEADERS || type == DATA) {
            String order = streamOrder(type, stream, (flags & END_STREAM) != 0);
            if (order != null) {
                return order;
            }
        }
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

    private String streamOrder(int type, int stream, boolean endStream) {
        ClientStreamIds.State state = type == HEADERS ? streams.onHeaders(stream, endStream)
                : streams.onData(stream, endStream);
        switch (state) {
            case NEVER_OPENED:
                finding = Finding.STREAM_NEVER_OPENED;
                return (type == HEADERS ? "HEADERS" : "DATA") + " on stream " + stream
                        + ", an identifier the client passed over";
            case ENDED:
                finding = Finding.AFTER_END_STREAM;
                return (type == HEADERS ? "HEADERS" : "DATA") + " on stream " + stream + " after its END_STREAM";
            default:
                return null;
        }
    }
}
