package io.portcullis.tests.steering;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.portcullis.tests.grpc.EchoService;
import java.net.InetSocketAddress;

/**
 * {@code GrpcServerMain IP PORT}: the hand-written {@link EchoService} on IP:PORT, for running
 * inside an endpoint ({@code ip netns exec}). Prints {@code READY} once it listens; runs until killed.
 */
public final class GrpcServerMain {
    private GrpcServerMain() {
    }

    public static void main(String[] args) throws Exception {
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress(args[0], Integer.parseInt(args[1])))
                .addService(new EchoService().definition()).build().start();
        System.out.println("READY");
        System.out.flush();
        server.awaitTermination();
    }
}
