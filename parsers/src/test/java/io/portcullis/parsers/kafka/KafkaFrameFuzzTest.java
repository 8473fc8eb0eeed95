package io.portcullis.parsers.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * Fuzzes the Kafka frame decoder, the body parser and the topic extractor with arbitrary client
 * bytes. Properties: the only failure is a {@link KafkaProtocolException}; and every frame the proxy
 * would forward ({@link KafkaRequestFrame#content()}, unchanged), parsed again from its bytes by
 * kafka-clients as a broker parses it ({@link RequestHeader#parse}, {@link AbstractRequest#parseRequest}),
 * has the API, version, correlation id, client id, body and topics the policy judged. A deny
 * response can be built for every frame that parses. Seeds: {@code KafkaFrameFuzzTestInputs/}.
 */
class KafkaFrameFuzzTest {
    /** Small enough that the fuzzer reaches the limit; large enough for every seed. */
    private static final int MAX_FRAME_BYTES = 64 * 1024;

    @FuzzTest(maxDuration = "60s")
    void framesAreJudgedAsTheBrokerReadsThem(byte[] input) {
        EmbeddedChannel channel = new EmbeddedChannel(new KafkaFrameDecoder(MAX_FRAME_BYTES));
        try {
            channel.writeInbound(Unpooled.wrappedBuffer(input));
        } catch (DecoderException e) {
            assertThat(e instanceof KafkaProtocolException ? e : e.getCause()).isInstanceOf(KafkaProtocolException.class);
        }
        List<KafkaRequestFrame> frames = new ArrayList<>();
        for (Object frame; (frame = channel.readInbound()) != null; ) {
            frames.add((KafkaRequestFrame) frame);
        }
        channel.finishAndReleaseAll();
        for (KafkaRequestFrame frame : frames) {
            try {
                checkAgainstBrokerParse(frame);
            } finally {
                frame.release();
            }
        }
    }

    private static void checkAgainstBrokerParse(KafkaRequestFrame frame) {
        ByteBuf wire = frame.content();
        ByteBuffer forwarded = wire.nioBuffer(wire.readerIndex() + KafkaRequestFrame.SIZE_PREFIX_BYTES,
                wire.readableBytes() - KafkaRequestFrame.SIZE_PREFIX_BYTES);
        assertThat(wire.getInt(wire.readerIndex())).isEqualTo(forwarded.remaining());
        RequestHeader brokerHeader = RequestHeader.parse(forwarded);
        assertThat(brokerHeader.apiKey()).isEqualTo(frame.apiKey());
        assertThat(brokerHeader.apiVersion()).isEqualTo(frame.apiVersion());
        assertThat(brokerHeader.correlationId()).isEqualTo(frame.correlationId());
        assertThat(brokerHeader.clientId()).isEqualTo(frame.clientId());
        assertThat(forwarded.position()).isEqualTo(frame.headerLength());
        assertThat(frame.toString()).contains(frame.apiKey().name);
        if (!frame.versionSupported()) {
            assertThat(frame.topics()).isSameAs(KafkaTopics.NONE);
            assertThat(KafkaErrorResponses.deny(frame, "fuzz")).satisfies(KafkaFrameFuzzTest::release);
            return;
        }
        KafkaTopics judged;
        try {
            judged = frame.topics();
        } catch (KafkaProtocolException refused) {
            return;   // the proxy closes the connection: nothing is forwarded
        }
        ByteBufferAccessor brokerReader = new ByteBufferAccessor(forwarded);
        AbstractRequest brokerRequest = AbstractRequest.parseRequest(brokerHeader.apiKey(),
                brokerHeader.apiVersion(), brokerReader).request;
        assertThat(brokerReader.remaining()).isZero();
        assertThat(brokerRequest.data()).isEqualTo(frame.request().data());
        KafkaTopics brokerTopics = TopicExtractor.topics(brokerRequest);
        assertThat(brokerTopics.names()).containsExactlyElementsOf(judged.names());
        assertThat(brokerTopics.ids()).containsExactlyElementsOf(judged.ids());
        assertThat(brokerTopics.allTopics()).isEqualTo(judged.allTopics());
        assertThat(brokerTopics.fetchSession()).isEqualTo(judged.fetchSession());
        assertThat(brokerTopics.extracted()).isEqualTo(judged.extracted());
        if (frame.apiKey() == ApiKeys.PRODUCE) {
            assertThat(frame.acks()).isEqualTo(((ProduceRequest) brokerRequest).acks());
        }
        ByteBuf denied = KafkaErrorResponses.deny(frame, "fuzz");
        assertThat(denied == null).isEqualTo(!frame.expectsResponse());
        release(denied);
    }

    private static void release(ByteBuf buf) {
        if (buf != null) {
            buf.release();
        }
    }
}
