package io.portcullis.workloads.grpc;

import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.util.function.UnaryOperator;

/**
 * {@code helloworld.Greeter}, the service of grpc's own examples, defined by hand: unary
 * {@code SayHello} and {@code SayGoodbye}, each taking a name and answering a greeting (messages
 * are UTF-8 strings, see {@link Utf8Marshaller}).
 */
public final class Greeter {
    public static final String SERVICE = "helloworld.Greeter";
    public static final MethodDescriptor<String, String> SAY_HELLO = unary("SayHello");
    public static final MethodDescriptor<String, String> SAY_GOODBYE = unary("SayGoodbye");

    private Greeter() {
    }

    /** The method called {@code name} ({@code SayHello} or {@code SayGoodbye}). */
    public static MethodDescriptor<String, String> method(String name) {
        if (SAY_HELLO.getBareMethodName().equals(name)) {
            return SAY_HELLO;
        }
        if (SAY_GOODBYE.getBareMethodName().equals(name)) {
            return SAY_GOODBYE;
        }
        throw new IllegalArgumentException(SERVICE + " has no method " + name + "; use SayHello or SayGoodbye");
    }

    public static ServerServiceDefinition definition() {
        return ServerServiceDefinition.builder(SERVICE)
                .addMethod(SAY_HELLO, answer(name -> "Hello, " + name))
                .addMethod(SAY_GOODBYE, answer(name -> "Goodbye, " + name))
                .build();
    }

    private static io.grpc.ServerCallHandler<String, String> answer(UnaryOperator<String> reply) {
        return ServerCalls.asyncUnaryCall((String name, StreamObserver<String> out) -> {
            out.onNext(reply.apply(name));
            out.onCompleted();
        });
    }

    private static MethodDescriptor<String, String> unary(String name) {
        return MethodDescriptor.<String, String>newBuilder().setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
                .setRequestMarshaller(Utf8Marshaller.INSTANCE).setResponseMarshaller(Utf8Marshaller.INSTANCE)
                .build();
    }
}
