package io.portcullis.tests.steering;

import io.portcullis.tests.support.kafka.KafkaBroker;
import java.util.concurrent.CountDownLatch;

/**
 * {@code KafkaServerMain IP PORT TOPIC...}: the test broker ({@link KafkaBroker}) run as its own
 * JVM inside an endpoint ({@code ip netns exec}), listening on and advertising IP:PORT
 * (transparent steering needs no address rewriting). Creates the topics, prints {@code READY},
 * and runs until it is stopped; SIGTERM removes its log directory.
 */
public final class KafkaServerMain {
    private KafkaServerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        KafkaBroker broker = new KafkaBroker().listenOn(args[0], Integer.parseInt(args[1])).start();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
        for (int i = 2; i < args.length; i++) {
            broker.createTopic(args[i], 1);
        }
        System.out.println("READY");
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
