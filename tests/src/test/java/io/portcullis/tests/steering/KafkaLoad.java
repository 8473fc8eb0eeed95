package io.portcullis.tests.steering;

import java.time.Duration;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Kafka part of {@link RestartLoadMain}: an idempotent producer ({@code acks=all}) sends the
 * numbers 0, 1, 2, ... to topic {@code load}, one every few milliseconds, and a consumer reads the
 * partition from the beginning. Every number the broker acknowledged must be read exactly once:
 * {@link #finish} counts the ones read twice and the ones never read.
 */
final class KafkaLoad {
    private static final String TOPIC = "load";
    private static final Duration CATCH_UP = Duration.ofSeconds(30);

    private final String bootstrap;
    private final LoadStats stats;
    private final AtomicBoolean producing = new AtomicBoolean(true);
    private final AtomicBoolean consuming = new AtomicBoolean(true);
    private final BitSet acked = new BitSet();
    private final BitSet read = new BitSet();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong sendFailed = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private KafkaProducer<String, String> producer;

    KafkaLoad(String bootstrap, LoadStats stats) {
        this.bootstrap = bootstrap;
        this.stats = stats;
    }

    /** Starts the producer's and the consumer's threads. */
    List<Thread> start() {
        Properties producerConfig = new Properties();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        producerConfig.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "200");
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer = new KafkaProducer<>(producerConfig);
        Thread produce = new Thread(this::produce, "kafka-produce");
        Thread consume = new Thread(this::consume, "kafka-consume");
        produce.start();
        consume.start();
        return List.of(produce, consume);
    }

    private void produce() {
        for (int seq = 0; producing.get(); seq++) {
            long start = System.nanoTime();
            int number = seq;
            sent.incrementAndGet();
            producer.send(new ProducerRecord<>(TOPIC, String.valueOf(number)), (metadata, failure) -> {
                if (failure == null) {
                    synchronized (acked) {
                        acked.set(number);
                    }
                    stats.ok("kafka-produce", start);
                } else {
                    sendFailed.incrementAndGet();
                    stats.failed("kafka-produce", failure);
                }
            });
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void consume() {
        Properties consumerConfig = new Properties();
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumerConfig.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "200");
        consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig)) {
            TopicPartition partition = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            while (consuming.get()) {
                long start = System.nanoTime();
                try {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                        int number = Integer.parseInt(record.value());
                        synchronized (read) {
                            if (read.get(number)) {
                                duplicates.incrementAndGet();
                            }
                            read.set(number);
                        }
                        stats.ok("kafka-consume", start);
                    }
                } catch (RuntimeException e) {
                    stats.failed("kafka-consume", e);
                }
            }
        }
    }

    /**
     * Stops producing, waits until every acknowledged record was read (or {@link #CATCH_UP}
     * passed), stops the consumer and reports: sent, acknowledged, failed sends, read, read twice,
     * acknowledged but never read.
     */
    Map<String, Object> finish() throws InterruptedException {
        producing.set(false);
        producer.flush();
        producer.close(Duration.ofSeconds(10));
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        while (missing() > 0 && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(100);
        }
        consuming.set(false);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("sent", sent.get());
        synchronized (acked) {
            figures.put("acked", acked.cardinality());
        }
        figures.put("sendFailed", sendFailed.get());
        synchronized (read) {
            figures.put("read", read.cardinality());
        }
        figures.put("duplicates", duplicates.get());
        figures.put("missing", missing());
        return figures;
    }

    private int missing() {
        BitSet notRead;
        synchronized (acked) {
            notRead = (BitSet) acked.clone();
        }
        synchronized (read) {
            notRead.andNot(read);
        }
        return notRead.cardinality();
    }
}
