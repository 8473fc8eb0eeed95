package io.portcullis.workloads.kafka;

import java.util.concurrent.CountDownLatch;

/**
 * {@code KafkaBrokerMain IP PORT TOPIC...}: a {@link KafkaBroker} run as its own JVM inside an
 * endpoint, listening on and advertising IP:PORT (transparent steering needs no address
 * rewriting). Creates the topics (one partition each), prints {@code READY}, and runs until it is
 * stopped; SIGTERM removes its log directory.
 */
public final class KafkaBrokerMain {
    private KafkaBrokerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 2) {
            System.err.println("usage: KafkaBrokerMain IP PORT [TOPIC...]");
            System.exit(2);
        }
        KafkaBroker broker = new KafkaBroker().listenOn(args[0], Integer.parseInt(args[1]));
        // Hooked before the start: a broker stopped while it starts still removes its log directory.
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
        broker.start();
        for (int i = 2; i < args.length; i++) {
            broker.createTopic(args[i], 1);
        }
        System.out.println("READY");
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
