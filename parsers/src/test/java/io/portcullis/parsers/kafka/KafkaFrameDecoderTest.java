package io.portcullis.parsers.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;

class KafkaFrameDecoderTest {
    private EmbeddedChannel channel = newChannel();

    private static EmbeddedChannel newChannel() {
        return new EmbeddedChannel(new KafkaFrameDecoder(1024 * 1024));
    }

    private static AbstractRequest metadata() {
        return new MetadataRequest.Builder(List.of("orders"), false).build((short) 12);
    }

    @Test
    void decodesHeaderAndKeepsTheWireBytes() {
        ByteBuf wire = KafkaTestRequests.wire(metadata(), 42);
        int length = wire.readableBytes();
        channel.writeInbound(wire.retainedDuplicate());
        KafkaRequestFrame frame = channel.readInbound();
        assertThat(frame.apiKey()).isEqualTo(ApiKeys.METADATA);
        assertThat(frame.apiVersion()).isEqualTo((short) 12);
        assertThat(frame.correlationId()).isEqualTo(42);
        assertThat(frame.clientId()).isEqualTo(KafkaTestRequests.CLIENT_ID);
        // header v2: api key, version, correlation id, client id (int16 length + bytes), empty tagged fields
        assertThat(frame.headerLength()).isEqualTo(2 + 2 + 4 + 2 + KafkaTestRequests.CLIENT_ID.length() + 1);
        assertThat(frame.content()).isEqualTo(wire);
        assertThat(frame.body().readableBytes()).isEqualTo(length - 4 - frame.headerLength());
        frame.release();
        wire.release();
    }

    @Test
    void readsANullClientIdAsTheEmptyStringLikeTheBroker() {
        AbstractRequest request = metadata();
        ByteBuffer headerAndBody = request.serializeWithHeader(
                new RequestHeader(request.apiKey(), request.version(), null, 7));
        ByteBuf wire = Unpooled.buffer().writeInt(headerAndBody.remaining()).writeBytes(headerAndBody);
        channel.writeInbound(wire);
        KafkaRequestFrame frame = channel.readInbound();
        assertThat(frame.clientId()).isEmpty();
        assertThat(frame.toString()).contains("clientId=,");
        frame.release();
    }

    @Test
    void waitsForWholeFramesAndSplitsBackToBackOnes() {
        ByteBuf two = Unpooled.wrappedBuffer(KafkaTestRequests.wire(metadata(), 1), KafkaTestRequests.wire(metadata(), 2));
        while (two.isReadable()) {
            channel.writeInbound(two.readRetainedSlice(Math.min(3, two.readableBytes())));
        }
        two.release();
        KafkaRequestFrame first = channel.readInbound();
        KafkaRequestFrame second = channel.readInbound();
        assertThat(first.correlationId()).isEqualTo(1);
        assertThat(second.correlationId()).isEqualTo(2);
        assertThat(first.topics().names()).containsExactly("orders");
        assertThat((Object) channel.readInbound()).isNull();
        first.release();
        second.release();
    }

    @Test
    void negativeSize() {
        assertRejected(Unpooled.buffer().writeInt(-1), "negative Kafka frame size -1");
    }

    @Test
    void oversizedFrameIsRejectedBeforeItArrives() {
        assertRejected(Unpooled.buffer().writeInt(1024 * 1024 + 1), "exceeds the limit of 1048576 bytes");
    }

    @Test
    void defaultLimitIsTheBrokers() {
        EmbeddedChannel defaults = new EmbeddedChannel(new KafkaFrameDecoder());
        assertThatThrownBy(() -> defaults.writeInbound(Unpooled.buffer().writeInt(100 * 1024 * 1024 + 1)))
                .isInstanceOf(KafkaProtocolException.class);
    }

    @Test
    void frameShorterThanAnyHeader() {
        assertRejected(Unpooled.buffer().writeInt(4).writeShort(3).writeShort(12), "shorter than a request header");
    }

    @Test
    void frameShorterThanItsHeader() {
        // Metadata v12 (header v2): the client id length says 10 bytes, none follow.
        ByteBuf wire = Unpooled.buffer().writeInt(10).writeShort(3).writeShort(12).writeInt(1).writeShort(10);
        assertRejected(wire, "truncated or malformed request header (Metadata v12, frame of 10 bytes)");
        assertRejected(Unpooled.buffer().writeInt(9).writeShort(3).writeShort(12).writeInt(1).writeByte(0),
                "truncated or malformed request header (Metadata v12, frame of 9 bytes)");
    }

    @Test
    void unknownApiKey() {
        assertRejected(header(999, 0), "unknown Kafka API key 999");
        assertRejected(header(4, 0), "unknown Kafka API key 4"); // LeaderAndIsr, retired
        assertRejected(header(-1, 0), "unknown Kafka API key -1");
    }

    @Test
    void unsupportedVersion() {
        assertRejected(header(0, 2), "unsupported version 2 of Kafka API Produce (supported 3 to 13)");
        assertRejected(header(1, 99), "unsupported version 99 of Kafka API Fetch");
    }

    @Test
    void truncatedBodyFailsWhenParsed() {
        ByteBuf wire = KafkaTestRequests.wire(metadata(), 1);
        ByteBuf truncated = Unpooled.buffer().writeInt(wire.readableBytes() - 4 - 3)
                .writeBytes(wire, 4, wire.readableBytes() - 4 - 3);
        wire.release();
        channel.writeInbound(truncated);
        KafkaRequestFrame frame = channel.readInbound();
        assertThatThrownBy(frame::topics).isInstanceOf(KafkaProtocolException.class)
                .hasMessageContaining("malformed Metadata v12 request body");
        frame.release();
    }

    @Test
    void trailingBytesFailWhenParsed() {
        ByteBuf wire = KafkaTestRequests.wire(metadata(), 1);
        wire.setInt(0, wire.getInt(0) + 2);
        wire.writeShort(0);
        channel.writeInbound(wire);
        KafkaRequestFrame frame = channel.readInbound();
        assertThatThrownBy(frame::topics).isInstanceOf(KafkaProtocolException.class)
                .hasMessage("2 unexpected bytes after the Metadata v12 request body");
        frame.release();
    }

    @Test
    void hugeArrayCountInATinyFrameIsRejectedWithoutAllocating() {
        // Metadata v4 (header v1, non-flexible): topics is an int32-counted array.
        ByteBuf wire = Unpooled.buffer();
        wire.writeInt(0).writeShort(3).writeShort(4).writeInt(1).writeShort(-1)
                .writeInt(Integer.MAX_VALUE).writeByte(0);
        wire.setInt(0, wire.readableBytes() - 4);
        channel.writeInbound(wire);
        KafkaRequestFrame frame = channel.readInbound();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        assertThatThrownBy(frame::topics).isInstanceOf(KafkaProtocolException.class)
                .hasMessageContaining("Tried to allocate a collection of size 2147483647");
        assertThat(threads.getCurrentThreadAllocatedBytes() - before).isLessThan(1024 * 1024);
        frame.release();
    }

    @Test
    void hugeCompactArrayCountIsRejectedToo() {
        // Metadata v12 (flexible): topics is a compact array, unsigned varint count + 1.
        ByteBuf wire = Unpooled.buffer();
        wire.writeInt(0).writeShort(3).writeShort(12).writeInt(1).writeShort(-1).writeByte(0)
                .writeBytes(new byte[] {(byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07}).writeByte(0);
        wire.setInt(0, wire.readableBytes() - 4);
        channel.writeInbound(wire);
        KafkaRequestFrame frame = channel.readInbound();
        assertThatThrownBy(frame::topics).isInstanceOf(KafkaProtocolException.class);
        frame.release();
    }

    @Test
    void anyNegativeTransactionalIdLengthIsNullAsTheBrokerReadsIt() {
        ByteBuf wire = Unpooled.buffer().writeInt(0).writeShort(0).writeShort(3).writeInt(1).writeShort(-1)
                .writeShort(-7).writeShort(1).writeInt(1000).writeInt(0); // transactional_id, acks, timeout, topics
        wire.setInt(0, wire.readableBytes() - 4);
        channel.writeInbound(wire);
        KafkaRequestFrame frame = channel.readInbound();
        assertThat(frame.acks()).isEqualTo((short) 1);
        assertThat(((ProduceRequest) frame.request()).transactionalId()).isNull();
        assertThat(frame.topics().names()).isEmpty();
        frame.release();
    }

    @Test
    void produceBodyTooShortForAcks() {
        ByteBuf wire = Unpooled.buffer().writeInt(0).writeShort(0).writeShort(9).writeInt(1).writeShort(-1)
                .writeByte(0).writeByte(5); // compact transactional_id of 4 bytes, which are missing
        wire.setInt(0, wire.readableBytes() - 4);
        channel.writeInbound(wire);
        KafkaRequestFrame frame = channel.readInbound();
        assertThatThrownBy(frame::acks).isInstanceOf(KafkaProtocolException.class)
                .hasMessageContaining("Produce v9 body too short to hold acks");
        frame.release();
    }

    @Test
    void bytesAfterAFailureAreDiscarded() {
        assertRejected(header(999, 0), "unknown");
        channel.writeInbound(KafkaTestRequests.wire(metadata(), 1));
        assertThat((Object) channel.readInbound()).isNull();
    }

    @Test
    void produceFramesAreNotParsedToFindAcks() {
        AbstractRequest produce = ProduceRequest.builder(KafkaTestRequests.produce(false)).build((short) 12);
        channel.writeInbound(KafkaTestRequests.wire(produce, 9));
        KafkaRequestFrame frame = channel.readInbound();
        assertThat(frame.acks()).isEqualTo((short) -1);
        assertThat(frame.expectsResponse()).isTrue();
        assertThat(frame.toString()).contains("Produce v12", "correlationId=9");
        frame.release();
    }

    /** A header-v1 frame for any key and version: just enough bytes for the header. */
    private static ByteBuf header(int apiKey, int version) {
        return Unpooled.buffer().writeInt(10).writeShort(apiKey).writeShort(version).writeInt(1).writeShort(-1);
    }

    /** Each rejection on a fresh channel: after one, a decoder discards everything. */
    private void assertRejected(ByteBuf wire, String message) {
        channel = newChannel();
        assertThatThrownBy(() -> channel.writeInbound(wire))
                .isInstanceOf(KafkaProtocolException.class)
                .hasMessageContaining(message);
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(wire.refCnt()).isZero();
    }
}
