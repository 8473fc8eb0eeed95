package io.portcullis.tests.steering;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.portcullis.tests.grpc.EchoService;
import java.util.concurrent.TimeUnit;

/**
 * {@code GrpcClientMain IP PORT METHOD ARG}: one unary call of demo.Echo/METHOD (Say or Secret) to
 * IP:PORT. Prints {@code OK <reply>} or {@code STATUS <code> <description>}; exits 0 either way.
 */
public final class GrpcClientMain {
    private GrpcClientMain() {
    }

    public static void main(String[] args) throws Exception {
        MethodDescriptor<String, String> method = switch (args[2]) {
            case "Say" -> EchoService.SAY;
            case "Secret" -> EchoService.SECRET;
            default -> throw new IllegalArgumentException(args[2]);
        };
        ManagedChannel channel = NettyChannelBuilder.forAddress(args[0], Integer.parseInt(args[1]))
                .usePlaintext().build();
        try {
            String reply = ClientCalls.blockingUnaryCall(channel, method,
                    CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), args[3]);
            System.out.println("OK " + reply);
        } catch (StatusRuntimeException e) {
            System.out.println("STATUS " + e.getStatus().getCode() + " " + e.getStatus().getDescription());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
