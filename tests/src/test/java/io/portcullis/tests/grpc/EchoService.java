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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC service defined by hand (no protoc): {@code demo.Echo} with String messages. Say (unary),
 * Stream (server streaming: n replies), Collect (client streaming: joins), Chat (bidi: echoes each),
 * Secret (unary, meant to be denied), Slow (unary that never answers and records its
 * cancellation) and Tick (server streaming, paced: {@code "N MS"} asks for N messages
 * {@code tick-I}, one every MS milliseconds, so that a stream outlasts what happens meanwhile).
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
    public static final MethodDescriptor<String, String> TICK =
            method("Tick", MethodDescriptor.MethodType.SERVER_STREAMING);
    private static final ScheduledExecutorService TICKER = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "echo-ticker");
        thread.setDaemon(true);
        return thread;
    });

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
                .addMethod(TICK, ServerCalls.asyncServerStreamingCall((String request, StreamObserver<String> out) -> {
                    String[] countAndMillis = request.split(" ");
                    tick(out, 0, Integer.parseInt(countAndMillis[0]), Long.parseLong(countAndMillis[1]));
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

    private static void tick(StreamObserver<String> out, int i, int count, long millis) {
        if (i == count) {
            out.onCompleted();
            return;
        }
        out.onNext("tick-" + i);
        TICKER.schedule(() -> tick(out, i + 1, count, millis), millis, TimeUnit.MILLISECONDS);
    }
}
