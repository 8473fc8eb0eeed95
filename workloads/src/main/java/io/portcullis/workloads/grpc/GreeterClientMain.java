package io.portcullis.workloads.grpc;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/**
 * {@code GreeterClientMain IP PORT METHOD NAME}: one unary call of {@link Greeter}'s METHOD
 * ({@code SayHello} or {@code SayGoodbye}) with NAME to IP:PORT, over grpc-java's default channel
 * (a dual-stack socket). Prints the reply and exits 0, or prints the gRPC status as
 * {@code CODE: description} (e.g. {@code PERMISSION_DENIED: ...}) and exits 1; 2 for bad arguments.
 */
public final class GreeterClientMain {
    static final int FAILED = 1;
    static final int USAGE = 2;

    private GreeterClientMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.exit(call(args, System.out));
    }

    /** The whole program with its output to {@code out}; returns the exit code. */
    static int call(String[] args, PrintStream out) throws InterruptedException {
        if (args.length != 4) {
            out.println("usage: GreeterClientMain IP PORT SayHello|SayGoodbye NAME");
            return USAGE;
        }
        MethodDescriptor<String, String> method;
        try {
            method = Greeter.method(args[2]);
        } catch (IllegalArgumentException e) {
            out.println(e.getMessage());
            return USAGE;
        }
        ManagedChannel channel = NettyChannelBuilder.forAddress(args[0], Integer.parseInt(args[1]))
                .usePlaintext().build();
        try {
            out.println(ClientCalls.blockingUnaryCall(channel, method,
                    CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), args[3]));
            return 0;
        } catch (StatusRuntimeException e) {
            out.println(e.getStatus().getCode() + ": " + e.getStatus().getDescription());
            return FAILED;
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
