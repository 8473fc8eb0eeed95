package io.portcullis.tests.steering;

import com.sun.net.httpserver.HttpServer;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.portcullis.tests.grpc.EchoService;
import io.portcullis.workloads.kafka.KafkaBroker;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * {@code RestartBackendsMain IP HTTP_PORT GRPC_PORT KAFKA_PORT}: the upstreams of
 * {@link RestartsUnderLoadTest} in one JVM inside the server endpoint: an HTTP/1.1 keep-alive
 * server that answers 200 to every path (and prints {@code UNJUDGED <path>} for each request under
 * {@code /private/}, which no policy ever allows: one reaching it passed the proxy unjudged),
 * grpc-java with {@code demo.Echo} (its Tick is the long server stream), and a KRaft broker with
 * the topic {@code load}. Prints {@code READY} once all serve.
 */
public final class RestartBackendsMain {
    private RestartBackendsMain() {
    }

    public static void main(String[] args) throws Exception {
        String ip = args[0];
        HttpServer http = HttpServer.create(new InetSocketAddress(ip, Integer.parseInt(args[1])), 128);
        http.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith("/private/")) {
                System.out.println("UNJUDGED " + path);
                System.out.flush();
            }
            byte[] body = ("ok " + path + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.setExecutor(Executors.newFixedThreadPool(8));
        http.start();

        Server grpc = NettyServerBuilder.forAddress(new InetSocketAddress(ip, Integer.parseInt(args[2])))
                .addService(new EchoService().definition()).build().start();

        KafkaBroker broker = new KafkaBroker().listenOn(ip, Integer.parseInt(args[3]));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            grpc.shutdownNow();
            http.stop(0);
            broker.close();
        }));
        broker.start();
        broker.createTopic("load", 1);
        System.out.println("READY");
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
