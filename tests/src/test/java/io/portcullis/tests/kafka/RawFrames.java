package io.portcullis.tests.kafka;

import java.nio.ByteBuffer;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.ProduceRequest;

/** Requests for raw sockets: real ones built with kafka-clients, and broken ones. */
final class RawFrames {
    private RawFrames() {
    }

    /** One record per topic (partition 0), with names (so at most v12). */
    static ProduceRequest produce(short version, short acks, String... topics) {
        ProduceRequestData.TopicProduceDataCollection data = new ProduceRequestData.TopicProduceDataCollection();
        for (String topic : topics) {
            ProduceRequestData.TopicProduceData t = new ProduceRequestData.TopicProduceData().setName(topic);
            t.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(
                    MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("k".getBytes(), "raw".getBytes()))));
            data.add(t);
        }
        return ProduceRequest.builder(new ProduceRequestData().setAcks(acks).setTimeoutMs(5000).setTopicData(data))
                .build(version);
    }

    /** A size prefix and a few bytes. */
    static byte[] sizeOnly(int size) {
        return ByteBuffer.allocate(12).putInt(size).putInt(0).putInt(0).array();
    }

    /** A frame of 4 bytes: api key and version, no correlation id. */
    static byte[] shorterThanHeader() {
        return ByteBuffer.allocate(8).putInt(4).putShort((short) 0).putShort((short) 9).array();
    }

    /** A v1 request header (no tagged fields) with a null client id and no body. */
    static byte[] header(short apiKey, short version) {
        return ByteBuffer.allocate(14).putInt(10).putShort(apiKey).putShort(version).putInt(1).putShort((short) -1)
                .array();
    }

    /** A Produce v9 frame whose body is cut short, size prefix adjusted: the header parses, the body not. */
    static byte[] truncatedProduceBody() {
        byte[] whole = RawKafkaClient.frame(produce((short) 9, (short) 1, "orders"), 1);
        int cut = 20;
        ByteBuffer frame = ByteBuffer.allocate(whole.length - cut);
        frame.putInt(whole.length - 4 - cut).put(whole, 4, whole.length - 4 - cut);
        return frame.array();
    }
}
