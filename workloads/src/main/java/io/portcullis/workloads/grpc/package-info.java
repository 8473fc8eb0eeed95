/**
 * A grpc-java greeter without protoc: {@code helloworld.Greeter} ({@code SayHello},
 * {@code SayGoodbye}) and {@code grpc.health.v1.Health/Check}, served by
 * {@link io.portcullis.workloads.grpc.GreeterServerMain} and called by
 * {@link io.portcullis.workloads.grpc.GreeterClientMain}. Method descriptors are written by hand;
 * greeter messages are UTF-8 strings.
 */
package io.portcullis.workloads.grpc;
