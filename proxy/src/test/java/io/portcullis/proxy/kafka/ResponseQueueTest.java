package io.portcullis.proxy.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.portcullis.parsers.kafka.KafkaRequestFrame;
import io.portcullis.proxy.accesslog.AccessLogEntry;
import io.portcullis.proxy.policy.Judgement;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.requests.MetadataRequest;
import org.junit.jupiter.api.Test;

/** The ordering rules of {@link ResponseQueue}, with strings standing for response bytes. */
class ResponseQueueTest {
    private final List<String> written = new ArrayList<>();
    private final List<Integer> sent = new ArrayList<>();
    private final ResponseQueue queue = new ResponseQueue(new ResponseQueue.Sink() {
        @Override
        public void write(ByteBuf bytes) {
            written.add(bytes.toString(StandardCharsets.ISO_8859_1));
            bytes.release();
        }

        @Override
        public ByteBuf complete(Slot slot, ByteBuf response) {
            response.release();
            return Unpooled.copiedBuffer("collected-" + slot.correlationId, StandardCharsets.ISO_8859_1);
        }

        @Override
        public void sent(Slot slot) {
            sent.add(slot.correlationId);
        }
    }, ByteBufAllocator.DEFAULT, 1024);

    private static Slot slot(Slot.Kind kind, int correlationId) {
        KafkaRequestFrame frame = KafkaRequestFrame.parse(KafkaWire.request(
                new MetadataRequest.Builder(List.of("t"), false).build((short) 12), correlationId));
        try {
            Judgement j = new Judgement(Judgement.Outcome.FORWARD, null, null, "test", List.of());
            Slot slot = new Slot(kind, frame, j, new AccessLogEntry.Kafka("Metadata", 12, correlationId, "c", null, null),
                    0);
            if (kind == Slot.Kind.READY) {
                slot.response = Unpooled.copiedBuffer("deny-" + correlationId, StandardCharsets.ISO_8859_1);
            }
            return slot;
        } finally {
            frame.release();
        }
    }

    private static ResponsePart part(int correlationId, String text, boolean first, boolean last, int size) {
        return new ResponsePart(correlationId, Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1), first, last,
                size);
    }

    @Test
    void readySlotsWaitForEveryEarlierResponse() throws Exception {
        queue.add(slot(Slot.Kind.RELAY, 1));
        queue.add(slot(Slot.Kind.READY, 2));
        queue.add(slot(Slot.Kind.READY, 3));
        queue.add(slot(Slot.Kind.RELAY, 4));
        queue.add(slot(Slot.Kind.READY, 5));
        assertThat(written).isEmpty();

        queue.onPart(part(1, "r1a", true, false, 10));
        assertThat(written).containsExactly("r1a");
        queue.onPart(part(1, "r1b", false, true, 10));
        assertThat(written).containsExactly("r1a", "r1b", "deny-2", "deny-3");
        queue.onPart(part(4, "r4", true, true, 6));
        assertThat(written).containsExactly("r1a", "r1b", "deny-2", "deny-3", "r4", "deny-5");
        assertThat(sent).containsExactly(1, 2, 3, 4, 5);
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    void aReadySlotAtTheHeadIsSentAtOnce() {
        queue.add(slot(Slot.Kind.READY, 9));
        assertThat(written).containsExactly("deny-9");
    }

    @Test
    void collectingSlotsAreCompletedWhole() throws Exception {
        queue.add(slot(Slot.Kind.METADATA, 1));
        queue.add(slot(Slot.Kind.READY, 2));
        queue.onPart(part(1, "half", true, false, 12));
        assertThat(written).isEmpty();
        queue.onPart(part(1, "rest", false, true, 12));
        assertThat(written).containsExactly("collected-1", "deny-2");
    }

    @Test
    void responsesOutOfStepAreRefused() throws Exception {
        assertThatThrownBy(() -> queue.onPart(part(1, "x", true, true, 5))).isInstanceOf(ResponseQueue.OutOfStep.class)
                .hasMessageContaining("to no request");
        queue.add(slot(Slot.Kind.RELAY, 1));
        assertThatThrownBy(() -> queue.onPart(part(2, "x", true, true, 5))).isInstanceOf(ResponseQueue.OutOfStep.class)
                .hasMessageContaining("expected 1");
        queue.releaseAll();
    }

    @Test
    void collectedResponsesHaveALimit() {
        queue.add(slot(Slot.Kind.API_VERSIONS, 1));
        assertThatThrownBy(() -> queue.onPart(part(1, "x", true, false, 4096)))
                .isInstanceOf(ResponseQueue.OutOfStep.class).hasMessageContaining("exceeds the limit");
        queue.releaseAll();
    }
}
