package io.portcullis.parsers.http1;

import io.netty.buffer.ByteBuf;

/**
 * Byte-level check of one request head (request line and field lines up to the empty line)
 * before Netty's decoder sees it. It exists because Netty 4.2 is lenient where a proxy must not
 * be: it silently unfolds obs-fold continuation lines into the previous value, tolerates runs of
 * spaces in the request line and accepts any {@code HTTP/x.y} version. Checks, per RFC 9112:
 * every line ends in CRLF (no bare LF or CR), request line is exactly
 * {@code token SP target SP HTTP/1.x}, field names are tokens directly followed by ':',
 * no line starts with SP/HTAB (obs-fold), field values hold no control characters; and the
 * configured limits (414 for the request line, 431 for the header block).
 *
 * <p>The scan is incremental: a partially received head is not re-scanned from the start on the
 * next read. Nothing is consumed from the buffer; the caller hands the head to Netty once
 * {@link #scan} reports it complete.
 */
final class HeadScanner {
    /** Empty lines tolerated before the request line (RFC 9112 §2.2 asks for at least one). */
    private static final int MAX_LEADING_EMPTY_LINES = 4;

    private final int maxRequestLine;
    private final int maxHeaderBytes;

    private int validated;       // bytes from the reader index already checked (always a line start)
    private boolean inFields;    // request line seen
    private int fieldBytes;
    private int leadingEmptyLines;

    HeadScanner(int maxRequestLine, int maxHeaderBytes) {
        this.maxRequestLine = maxRequestLine;
        this.maxHeaderBytes = maxHeaderBytes;
    }

    void reset() {
        validated = 0;
        inFields = false;
        fieldBytes = 0;
        leadingEmptyLines = 0;
    }

    /**
     * @return the length of the complete head (including the final CRLF) from the buffer's reader
     *         index, or -1 when more bytes are needed
     * @throws BadRequestException when the head is invalid or over a limit
     */
    int scan(ByteBuf buf) {
        int start = buf.readerIndex();
        int end = buf.writerIndex();
        while (true) {
            int lineStart = start + validated;
            int lf = buf.indexOf(lineStart, end, (byte) '\n');
            if (lf < 0) {
                checkPartialLine(end - lineStart);
                return -1;
            }
            if (lf == lineStart || buf.getByte(lf - 1) != '\r') {
                throw BadRequestException.badRequest("bare LF line terminator");
            }
            int length = lf - 1 - lineStart;   // without CRLF
            if (!inFields) {
                if (length == 0) {
                    if (++leadingEmptyLines > MAX_LEADING_EMPTY_LINES) {
                        throw BadRequestException.badRequest("too many empty lines before request line");
                    }
                } else {
                    if (length > maxRequestLine) {
                        throw new BadRequestException(414, "request line too long");
                    }
                    checkRequestLine(buf, lineStart, length);
                    inFields = true;
                }
            } else {
                if (length == 0) {
                    return lf + 1 - start;
                }
                fieldBytes += length;
                if (fieldBytes > maxHeaderBytes) {
                    throw new BadRequestException(431, "header block too large");
                }
                checkFieldLine(buf, lineStart, length);
            }
            validated = lf + 1 - start;
        }
    }

    private void checkPartialLine(int partial) {
        // Fail as soon as the limit is certain instead of buffering an unbounded line.
        if (!inFields && partial > maxRequestLine + 1) {
            throw new BadRequestException(414, "request line too long");
        }
        if (inFields && fieldBytes + partial > maxHeaderBytes + 1) {
            throw new BadRequestException(431, "header block too large");
        }
    }

    private static void checkRequestLine(ByteBuf buf, int from, int length) {
        int end = from + length;
        int i = from;
        while (i < end && HttpSyntax.isTchar(buf.getByte(i))) {
            i++;
        }
        if (i == from || i == end || buf.getByte(i) != ' ') {
            throw BadRequestException.badRequest("malformed request line");
        }
        int targetStart = ++i;
        while (i < end) {
            byte b = buf.getByte(i);
            if (b == ' ') {
                break;
            }
            if (b < 0x21 || b > 0x7e) {   // CTL, DEL, obs-text: never valid in a request-target
                throw BadRequestException.badRequest("invalid character in request target");
            }
            i++;
        }
        if (i == targetStart || i == end) {
            throw BadRequestException.badRequest("malformed request line");
        }
        checkVersion(buf, i + 1, end);
    }

    private static void checkVersion(ByteBuf buf, int from, int end) {
        if (end - from != 8 || buf.getByte(from) != 'H' || buf.getByte(from + 1) != 'T'
                || buf.getByte(from + 2) != 'T' || buf.getByte(from + 3) != 'P' || buf.getByte(from + 4) != '/'
                || !isDigit(buf.getByte(from + 5)) || buf.getByte(from + 6) != '.' || !isDigit(buf.getByte(from + 7))) {
            throw BadRequestException.badRequest("malformed HTTP version");
        }
        if (buf.getByte(from + 5) != '1' || buf.getByte(from + 7) > '1') {
            throw new BadRequestException(505, "HTTP version not supported");
        }
    }

    private static void checkFieldLine(ByteBuf buf, int from, int length) {
        byte first = buf.getByte(from);
        if (first == ' ' || first == '\t') {
            throw BadRequestException.badRequest("obs-fold (line folding) in header");
        }
        int end = from + length;
        int i = from;
        while (i < end && HttpSyntax.isTchar(buf.getByte(i))) {
            i++;
        }
        if (i == from || i == end || buf.getByte(i) != ':') {
            throw BadRequestException.badRequest("invalid header name");
        }
        for (i++; i < end; i++) {
            int b = buf.getByte(i) & 0xff;
            if ((b < 0x20 && b != '\t') || b == 0x7f) {
                throw BadRequestException.badRequest("control character in header value");
            }
        }
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }
}
