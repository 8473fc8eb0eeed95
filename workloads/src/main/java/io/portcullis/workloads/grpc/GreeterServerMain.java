package io.portcullis.workloads.grpc;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;

/**
 * {@code GreeterServerMain IP PORT}: a grpc-java server with {@link Greeter} and
 * {@link HealthCheck} on IP:PORT (plaintext HTTP/2). Prints {@code READY} once it listens; runs
 * until it is stopped.
 */
public final class GreeterServerMain {
    private GreeterServerMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: GreeterServerMain IP PORT");
            System.exit(2);
        }
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress(args[0], Integer.parseInt(args[1])))
                .addService(Greeter.definition()).addService(HealthCheck.definition()).build().start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
        System.out.println("READY");
        System.out.flush();
        server.awaitTermination();
    }
}
