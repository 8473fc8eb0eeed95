package io.portcullis.proxy.kafka;

import io.portcullis.parsers.kafka.KafkaResponseFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.RequestHeader;

/** Builds request and response frames with kafka-clients and reads frames back from channels. */
final class KafkaWire {
    static final String CLIENT_ID = "unit";

    private KafkaWire() {
    }

    static ByteBuf request(AbstractRequest request, int correlationId) {
        return OwnRequests.frame(request, CLIENT_ID, correlationId);
    }

    static ByteBuf response(ApiKeys api, short version, int correlationId, ApiMessage body) {
        return KafkaResponseFrames.frame(api, version, correlationId, body);
    }

    static ProduceRequest produce(short version, short acks, String... topics) {
        ProduceRequestData.TopicProduceDataCollection data = new ProduceRequestData.TopicProduceDataCollection();
        for (String topic : topics) {
            ProduceRequestData.TopicProduceData t = new ProduceRequestData.TopicProduceData().setName(topic);
            t.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(
                    MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("k".getBytes(), "v".getBytes()))));
            data.add(t);
        }
        return ProduceRequest.builder(new ProduceRequestData().setAcks(acks).setTimeoutMs(1000).setTopicData(data))
                .build(version);
    }

    static MetadataResponseData metadata(int nodeId, String host, int port) {
        MetadataResponseData data = new MetadataResponseData();
        data.brokers().add(new MetadataResponseData.MetadataResponseBroker().setNodeId(nodeId).setHost(host)
                .setPort(port));
        return data;
    }

    /** Every complete frame written to {@code channel}'s outbound side, each released after copying. */
    static List<ByteBuf> frames(EmbeddedChannel channel) {
        ByteBuf all = Unpooled.buffer();
        for (Object o; (o = channel.readOutbound()) != null; ) {
            all.writeBytes((ByteBuf) o);
            ((ByteBuf) o).release();
        }
        List<ByteBuf> frames = new ArrayList<>();
        while (all.readableBytes() >= 4) {
            frames.add(all.readSlice(4 + all.getInt(all.readerIndex())));
        }
        return frames;
    }

    /** Of a response frame: after the size prefix. */
    static int correlationId(ByteBuf frame) {
        return frame.getInt(frame.readerIndex() + 4);
    }

    /** Of a request frame: after the size prefix, API key and version. */
    static int requestCorrelationId(ByteBuf frame) {
        return frame.getInt(frame.readerIndex() + 8);
    }

    /** Parses a response frame of {@code api} at {@code version}. */
    static AbstractResponse parse(ByteBuf frame, ApiKeys api, short version) {
        ByteBuffer buffer = frame.nioBuffer(frame.readerIndex() + 4, frame.readableBytes() - 4);
        return AbstractResponse.parseResponse(buffer, new RequestHeader(api, version, CLIENT_ID, correlationId(frame)));
    }
}
