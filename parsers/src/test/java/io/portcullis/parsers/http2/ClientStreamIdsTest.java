package io.portcullis.parsers.http2;

import org.junit.jupiter.api.Test;

import static io.portcullis.parsers.http2.ClientStreamIds.State.ENDED;
import static io.portcullis.parsers.http2.ClientStreamIds.State.NEVER_OPENED;
import static io.portcullis.parsers.http2.ClientStreamIds.State.OPEN;
import static org.assertj.core.api.Assertions.assertThat;

class ClientStreamIdsTest {
    private final ClientStreamIds ids = new ClientStreamIds();

    @Test
    void aStreamTheClientEndedIsEndedForEveryLaterFrame() {
        assertThat(ids.onHeaders(1, false)).isEqualTo(OPEN);
        assertThat(ids.onData(1, false)).isEqualTo(OPEN);
        assertThat(ids.onHeaders(1, true)).as("trailers").isEqualTo(OPEN);
        assertThat(ids.onData(1, false)).isEqualTo(ENDED);
        assertThat(ids.onHeaders(1, true)).isEqualTo(ENDED);
        assertThat(ids.onHeaders(3, true)).isEqualTo(OPEN);
        assertThat(ids.onHeaders(3, true)).isEqualTo(ENDED);
    }

    @Test
    void identifiersPassedOverWereNeverOpened() {
        assertThat(ids.onHeaders(5, true)).isEqualTo(OPEN);
        assertThat(ids.onHeaders(3, true)).isEqualTo(NEVER_OPENED);
        assertThat(ids.onHeaders(1, true)).isEqualTo(NEVER_OPENED);
        assertThat(ids.onData(3, true)).isEqualTo(NEVER_OPENED);
        assertThat(ids.onHeaders(11, false)).isEqualTo(OPEN);
        assertThat(ids.onHeaders(9, false)).isEqualTo(NEVER_OPENED);
        assertThat(ids.onHeaders(5, true)).isEqualTo(ENDED);
    }

    @Test
    void serverIdentifiersAndIdleStreamsAreLeftToTheCodec() {
        assertThat(ids.onHeaders(2, true)).isEqualTo(OPEN);
        assertThat(ids.onHeaders(0, true)).isEqualTo(OPEN);
        assertThat(ids.onData(7, true)).isEqualTo(OPEN);
    }

    @Test
    void memoryIsBoundedAndWhatFallsOutCountsAsEnded() {
        for (int i = 0; i <= ClientStreamIds.MAX_UNENDED; i++) {
            assertThat(ids.onHeaders(2 * i + 1, false)).isEqualTo(OPEN);
        }
        assertThat(ids.onData(1, true)).as("the oldest unended stream was forgotten").isEqualTo(ENDED);
        assertThat(ids.onData(3, true)).isEqualTo(OPEN);
    }
}
