package io.portcullis.tests.grpc;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;

import java.net.InetSocketAddress;

/**
 * The gRPC upstream of {@code bin/bench --scenario grpc}: {@link EchoService} (demo.Echo/Say answers
 * {@code hello <request>}) on the given address, until killed. Run with the tests module's test
 * class path: {@code java -cp … io.portcullis.tests.grpc.GrpcBenchServer 127.0.0.2 50051}.
 */
public final class GrpcBenchServer {
    private GrpcBenchServer() {
    }

    public static void main(String[] args) throws Exception {
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress(args[0], Integer.parseInt(args[1])))
                .addService(new EchoService().definition()).build().start();
        System.out.println("grpc bench server ready on " + args[0] + ":" + server.getPort());
        server.awaitTermination();
    }
}
