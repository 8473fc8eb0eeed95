package io.portcullis.workloads.kafka;

import java.util.concurrent.CountDownLatch;

/**
 * {@code KafkaBrokerMain IP PORT [--advertise HOST:PORT] TOPIC...}: a {@link KafkaBroker} run as
 * its own JVM inside an endpoint, listening on IP:PORT. It advertises IP:PORT (transparent steering
 * needs no address rewriting), or with {@code --advertise} another address: a reverse proxy's, so
 * that clients which bootstrap through the proxy stay on it. Creates the topics (one partition
 * each), prints {@code READY}, and runs until it is stopped; SIGTERM removes its log directory.
 */
public final class KafkaBrokerMain {
    private KafkaBrokerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 2) {
            usage();
        }
        KafkaBroker broker = new KafkaBroker().listenOn(args[0], Integer.parseInt(args[1]));
        int firstTopic = 2;
        if (args.length >= 4 && args[2].equals("--advertise")) {
            int colon = args[3].lastIndexOf(':');
            if (colon <= 0) {
                usage();
            }
            broker.advertisedListener(args[3].substring(0, colon), Integer.parseInt(args[3].substring(colon + 1)));
            firstTopic = 4;
        }
        // Hooked before the start: a broker stopped while it starts still removes its log directory.
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
        broker.start();
        for (int i = firstTopic; i < args.length; i++) {
            broker.createTopic(args[i], 1);
        }
        System.out.println("READY");
        System.out.flush();
        new CountDownLatch(1).await();
    }

    private static void usage() {
        System.err.println("usage: KafkaBrokerMain IP PORT [--advertise HOST:PORT] [TOPIC...]");
        System.exit(2);
    }
}
