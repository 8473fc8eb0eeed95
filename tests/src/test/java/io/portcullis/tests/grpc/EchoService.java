package io.portcullis.tests.grpc;

import io.grpc.Context;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.portcullis.workloads.grpc.Utf8Marshaller;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A gRPC service defined by hand (no protoc): {@code demo.Echo} with String messages. Say (unary),
 * Stream (server streaming: n replies), Collect (client streaming: joins), Chat (bidi: echoes each),
 * Secret (unary, meant to be denied) and Slow (unary that never answers and records its
 * cancellation).
 */
public final class EchoService {
    public static final String SERVICE = "demo.Echo";
    public static final MethodDescriptor<String, String> SAY = method("Say", MethodDescriptor.MethodType.UNARY);
    public static final MethodDescriptor<String, String> STREAM =
            method("Stream", MethodDescriptor.MethodType.SERVER_STREAMING);
    public static final MethodDescriptor<String, String> COLLECT =
            method("Collect", MethodDescriptor.MethodType.CLIENT_STREAMING);
    public static final MethodDescriptor<String, String> CHAT = method("Chat", MethodDescriptor.MethodType.BIDI_STREAMING);
    public static final MethodDescriptor<String, String> SECRET = method("Secret", MethodDescriptor.MethodType.UNARY);
    public static final MethodDescriptor<String, String> SLOW = method("Slow", MethodDescriptor.MethodType.UNARY);

    public final List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
    public volatile CountDownLatch slowCancelled = new CountDownLatch(1);
    public volatile CountDownLatch slowStarted = new CountDownLatch(1);

    static MethodDescriptor<String, String> method(String name, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<String, String>newBuilder().setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
                .setRequestMarshaller(Utf8Marshaller.INSTANCE).setResponseMarshaller(Utf8Marshaller.INSTANCE).build();
    }

    public ServerServiceDefinition definition() {
        return ServerServiceDefinition.builder(SERVICE)
                .addMethod(SAY, ServerCalls.asyncUnaryCall((String request, StreamObserver<String> out) -> {
                    out.onNext("hello " + request);
                    out.onCompleted();
                }))
                .addMethod(SECRET, ServerCalls.asyncUnaryCall((String request, StreamObserver<String> out) -> {
                    calls.add("Secret");
                    out.onNext("the secret");
                    out.onCompleted();
                }))
                .addMethod(STREAM, ServerCalls.asyncServerStreamingCall((String request, StreamObserver<String> out) -> {
                    calls.add("Stream");
                    int n = Integer.parseInt(request);
                    for (int i = 0; i < n; i++) {
                        out.onNext("item-" + i + "-" + "x".repeat(1000));
                    }
                    out.onCompleted();
                }))
                .addMethod(COLLECT, ServerCalls.asyncClientStreamingCall((StreamObserver<String> out) -> {
                    calls.add("Collect");
                    List<String> parts = new ArrayList<>();
                    return new StreamObserver<String>() {
                        @Override
                        public void onNext(String value) {
                            parts.add(value);
                        }

                        @Override
                        public void onError(Throwable t) {
                        }

                        @Override
                        public void onCompleted() {
                            out.onNext(parts.size() + ":" + String.join(",", parts).length());
                            out.onCompleted();
                        }
                    };
                }))
                .addMethod(CHAT, ServerCalls.asyncBidiStreamingCall((StreamObserver<String> out) -> {
                    calls.add("Chat");
                    return new StreamObserver<String>() {
                        @Override
                        public void onNext(String value) {
                            out.onNext("echo " + value);
                        }

                        @Override
                        public void onError(Throwable t) {
                        }

                        @Override
                        public void onCompleted() {
                            out.onCompleted();
                        }
                    };
                }))
                .addMethod(SLOW, ServerCalls.asyncUnaryCall((String request, StreamObserver<String> out) -> {
                    calls.add("Slow");
                    ServerCallStreamObserver<String> call = (ServerCallStreamObserver<String>) out;
                    call.setOnCancelHandler(() -> slowCancelled.countDown());
                    Context.current().addListener(c -> slowCancelled.countDown(), Runnable::run);
                    slowStarted.countDown();
                }))
                .build();
    }
}
