package io.portcullis.workloads.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The greeter served on loopback, called by its client main and by a health probe's request. */
class GreeterTest {
    static Server server;

    @BeforeAll
    static void serve() throws Exception {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(Greeter.definition()).addService(HealthCheck.definition()).build().start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static Result client(String... args) throws InterruptedException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = GreeterClientMain.call(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return new Result(exit, bytes.toString(StandardCharsets.UTF_8).strip());
    }

    private record Result(int exit, String output) {
    }

    @Test
    void theClientPrintsEachMethodsReplyAndExitsZero() throws Exception {
        String port = String.valueOf(server.getPort());

        assertThat(client("127.0.0.1", port, "SayHello", "bob")).isEqualTo(new Result(0, "Hello, bob"));
        assertThat(client("127.0.0.1", port, "SayGoodbye", "bob")).isEqualTo(new Result(0, "Goodbye, bob"));
    }

    @Test
    void theClientPrintsTheStatusNameAndFailsWhenTheCallFails() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        Result result = client("127.0.0.1", String.valueOf(closedPort), "SayHello", "bob");

        assertThat(result.exit()).isEqualTo(GreeterClientMain.FAILED);
        assertThat(result.output()).startsWith("UNAVAILABLE: ");
    }

    @Test
    void theClientRefusesAMethodTheGreeterDoesNotHave() throws Exception {
        Result result = client("127.0.0.1", String.valueOf(server.getPort()), "SayNothing", "bob");

        assertThat(result.exit()).isEqualTo(GreeterClientMain.USAGE);
        assertThat(result.output()).contains("SayHello or SayGoodbye");
    }

    @Test
    void theHealthCheckAnswersServing() {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
        try {
            byte[] reply = ClientCalls.blockingUnaryCall(channel, HealthCheck.CHECK, CallOptions.DEFAULT, new byte[0]);
            assertThat(reply).containsExactly(0x08, 0x01);
        } finally {
            channel.shutdownNow();
        }
    }
}
