package io.portcullis.workloads.grpc;

import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code grpc.health.v1.Health/Check} as standard health probes call it, always answering
 * {@code SERVING}. The messages are protobuf; the request (which service) is not read, and the
 * response is written by hand: field 1 ({@code status}, varint) = 1 ({@code SERVING}).
 */
public final class HealthCheck {
    public static final String SERVICE = "grpc.health.v1.Health";
    /** {@code HealthCheckResponse{status: SERVING}} in protobuf wire format. */
    static final byte[] SERVING = {0x08, 0x01};
    public static final MethodDescriptor<byte[], byte[]> CHECK = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Check"))
            .setRequestMarshaller(Bytes.INSTANCE).setResponseMarshaller(Bytes.INSTANCE)
            .build();

    private HealthCheck() {
    }

    public static ServerServiceDefinition definition() {
        return ServerServiceDefinition.builder(SERVICE)
                .addMethod(CHECK, ServerCalls.asyncUnaryCall((byte[] request, StreamObserver<byte[]> out) -> {
                    out.onNext(SERVING.clone());
                    out.onCompleted();
                }))
                .build();
    }

    private enum Bytes implements MethodDescriptor.Marshaller<byte[]> {
        INSTANCE;

        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read a health-check message", e);
            }
        }
    }
}
