package io.portcullis.tests.kafka;

import io.portcullis.workloads.kafka.KafkaBroker;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka scenario of {@code bin/bench}, run with the tests' class path:
 *
 * <pre>
 * KafkaBench broker IP:PORT ADVERTISED|- TOPIC  start a broker listening on IP:PORT (advertising
 *                                               ADVERTISED, HOST:PORT, or itself with -), create TOPIC,
 *                                               print "ready BOOTSTRAP", run until killed
 * KafkaBench produce BOOTSTRAP TOPIC RECORDS SIZE WARMUP
 *                                               send WARMUP then RECORDS records of SIZE bytes
 *                                               (acks=1, linger.ms=5, batch.size=64k) and print
 *                                               "BENCH_KAFKA records=… seconds=… rps=… mbps=…"
 * </pre>
 */
public final class KafkaBench {
    private KafkaBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 4 && args[0].equals("broker")) {
            broker(args[1], args[2], args[3]);
        } else if (args.length == 6 && args[0].equals("produce")) {
            produce(args[1], args[2], Long.parseLong(args[3]), Integer.parseInt(args[4]), Long.parseLong(args[5]));
        } else {
            System.err.println("usage: KafkaBench broker IP:PORT ADVERTISED|- TOPIC | produce BOOTSTRAP TOPIC RECORDS SIZE WARMUP");
            System.exit(2);
        }
    }

    private static void broker(String listen, String advertised, String topic) throws InterruptedException {
        KafkaBroker broker = new KafkaBroker().config("log.segment.bytes", String.valueOf(256 * 1024 * 1024));
        broker.listenOn(host(listen), port(listen));
        if (!advertised.equals("-")) {
            broker.advertisedListener(host(advertised), port(advertised));
        }
        broker.start();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
        broker.createTopic(topic, 1);
        System.out.println("ready " + broker.bootstrap());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    private static String host(String address) {
        return address.substring(0, address.lastIndexOf(':'));
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    private static void produce(String bootstrap, String topic, long records, int size, long warmup)
            throws Exception {
        byte[] value = new byte[size];
        Arrays.fill(value, (byte) 'x');
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.CLIENT_ID_CONFIG, "bench",
                ProducerConfig.ACKS_CONFIG, "1",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            send(producer, topic, value, warmup);
            long start = System.nanoTime();
            send(producer, topic, value, records);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("BENCH_KAFKA records=%d bytes=%d seconds=%.3f rps=%.0f mbps=%.2f%n", records,
                    records * size, seconds, records / seconds, records * size / seconds / (1024 * 1024));
        }
    }

    /** Sends {@code n} records and waits for every acknowledgement; any failed record fails the run. */
    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, byte[] value, long n)
            throws InterruptedException {
        if (n == 0) {
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        AtomicLong left = new AtomicLong(n);
        AtomicReference<Exception> failure = new AtomicReference<>();
        for (long i = 0; i < n; i++) {
            producer.send(new ProducerRecord<>(topic, value), (metadata, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                }
                if (left.decrementAndGet() == 0) {
                    done.countDown();
                }
            });
        }
        done.await();
        if (failure.get() != null) {
            throw new IllegalStateException("records failed", failure.get());
        }
    }
}
