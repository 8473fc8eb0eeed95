package io.portcullis.parsers.http2;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class Http2FrameScannerTest {
    private static final long SECOND = 1_000_000_000L;

    private static ByteBuf frame(int type, int flags, int length) {
        ByteBuf buf = Unpooled.buffer();
        buf.writeMedium(length).writeByte(type).writeByte(flags).writeInt(1).writeZero(length);
        return buf;
    }

    private static ByteBuf preface() {
        return Unpooled.buffer().writeZero(Http2FrameScanner.PREFACE_LENGTH);
    }

    @Test
    void continuationFramesAreCountedPerHeaderBlock() {
        Http2FrameScanner scanner = new Http2FrameScanner(2, 100, SECOND);
        assertThat(scanner.scan(preface(), 0)).isNull();
        assertThat(scanner.scan(frame(1, 0, 3), 0)).isNull();
        assertThat(scanner.scan(frame(9, 0, 1), 0)).isNull();
        assertThat(scanner.scan(frame(9, 4, 1), 0)).isNull();
        assertThat(scanner.scan(frame(1, 0, 3), 0)).isNull();   // a new block starts a new count
        assertThat(scanner.scan(frame(9, 0, 1), 0)).isNull();
        assertThat(scanner.scan(frame(9, 0, 1), 0)).isNull();
        assertThat(scanner.scan(frame(9, 0, 1), 0)).contains("more than 2 CONTINUATION");
    }

    @Test
    void frameHeadersSplitAcrossReadsAreReassembled() {
        Http2FrameScanner scanner = new Http2FrameScanner(1, 100, SECOND);
        ByteBuf all = Unpooled.buffer().writeBytes(preface()).writeBytes(frame(1, 0, 2)).writeBytes(frame(9, 0, 0))
                .writeBytes(frame(9, 0, 0));
        String violation = null;
        while (all.isReadable() && violation == null) {
            violation = scanner.scan(all.readSlice(Math.min(5, all.readableBytes())), 0);
        }
        assertThat(violation).contains("CONTINUATION");
    }

    @Test
    void controlFramesAreCountedPerWindowAndReportWhereTheOffenderStarts() {
        Http2FrameScanner scanner = new Http2FrameScanner(16, 3, SECOND);
        scanner.scan(preface(), 0);
        ByteBuf pings = Unpooled.buffer();
        for (int i = 0; i < 3; i++) {
            pings.writeBytes(frame(6, 0, 8));
        }
        assertThat(scanner.scan(pings, 0)).isNull();
        assertThat(scanner.scan(frame(6, 0, 8), 2 * SECOND)).isNull();   // next window
        ByteBuf more = Unpooled.buffer().writeBytes(frame(4, 0, 0)).writeBytes(frame(2, 0, 5))
                .writeBytes(frame(6, 0, 8));
        assertThat(scanner.scan(more, 2 * SECOND)).contains("more than 3 SETTINGS/PING/PRIORITY");
        assertThat(scanner.violationStart()).isEqualTo(9 + 14);
    }

    @Test
    void dataFramesAreNotControlFrames() {
        Http2FrameScanner scanner = new Http2FrameScanner(16, 1, SECOND);
        scanner.scan(preface(), 0);
        for (int i = 0; i < 100; i++) {
            assertThat(scanner.scan(frame(0, 0, 10), 0)).isNull();
            assertThat(scanner.scan(frame(8, 0, 4), 0)).isNull();
        }
    }
}
