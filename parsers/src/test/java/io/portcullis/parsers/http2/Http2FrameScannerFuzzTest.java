package io.portcullis.parsers.http2;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Fuzzes the HTTP/2 frame scanner with arbitrary client bytes delivered in reads of arbitrary size.
 * Property: it reports exactly the violation, at exactly the frame, that a plain reading of the
 * whole stream finds (preface, then 9-byte frame headers each followed by its payload), however the
 * bytes are split; it never throws. Seeds: {@code Http2FrameScannerFuzzTestInputs/}.
 */
class Http2FrameScannerFuzzTest {
    private static final int HEADERS = 1;
    private static final int PUSH_PROMISE = 5;
    private static final int CONTINUATION = 9;
    private static final int END_HEADERS = 0x4;

    @FuzzTest(maxDuration = "60s")
    void findsTheFloodAPlainReadingFinds(FuzzedDataProvider data) {
        int maxContinuations = data.consumeInt(0, 6);
        int maxControl = data.consumeInt(0, 6);
        int readSize = data.consumeInt(1, 64);
        byte[] stream = data.consumeRemainingAsBytes();
        int expected = firstViolation(stream, maxContinuations, maxControl);

        Http2FrameScanner scanner = new Http2FrameScanner(maxContinuations, maxControl, 1_000_000_000L);
        ByteBuf all = Unpooled.wrappedBuffer(stream);
        for (int read = 0; read < stream.length; read += readSize) {
            int end = Math.min(stream.length, read + readSize);
            String violation = scanner.scan(all.duplicate().setIndex(read, end), 0);
            if (violation != null) {
                assertThat(expected).as("violation %s", violation).isGreaterThanOrEqualTo(0);
                assertThat(scanner.violationStart()).isEqualTo(Math.max(expected, read));
                assertThat(expected).isLessThan(end);
                return;
            }
        }
        assertThat(expected).isEqualTo(-1);
    }

    /** Offset of the frame that breaks a limit, or -1. Control frames all fall into one window here. */
    private static int firstViolation(byte[] stream, int maxContinuations, int maxControl) {
        int pos = Http2FrameScanner.PREFACE_LENGTH;
        boolean headerBlockOpen = false;
        int continuations = 0;
        int control = 0;
        while (pos + 9 <= stream.length) {
            long length = (stream[pos] & 0xffL) << 16 | (stream[pos + 1] & 0xff) << 8 | stream[pos + 2] & 0xff;
            int type = stream[pos + 3] & 0xff;
            boolean endHeaders = (stream[pos + 4] & END_HEADERS) != 0;
            if (type == HEADERS || type == PUSH_PROMISE) {
                headerBlockOpen = !endHeaders;
                continuations = 0;
            } else if (type == CONTINUATION && headerBlockOpen) {
                if (++continuations > maxContinuations) {
                    return pos;
                }
                headerBlockOpen = !endHeaders;
            } else if (type == 2 || type == 4 || type == 6) {   // PRIORITY, SETTINGS, PING
                if (++control > maxControl) {
                    return pos;
                }
            }
            if (pos + 9 + length > Integer.MAX_VALUE) {
                break;
            }
            pos += 9 + (int) length;
        }
        return -1;
    }
}
