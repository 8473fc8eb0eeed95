package io.portcullis.tests.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.portcullis.agent.Agent;
import io.portcullis.config.AgentConfigLoader;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A proxy upgrade under gRPC load: the old proxy sends GOAWAY with the last stream it took and
 * keeps serving that stream to its end, so server streams running back to back across the
 * hand-over lose no message, and unary calls made meanwhile all succeed.
 */
class GrpcProxyUpgradeTest {
    @TempDir
    Path dir;

    @Test
    void serverStreamsRunningAcrossAnUpgradeEndWithEveryMessage() throws Exception {
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.2", 0))
                .addService(new EchoService().definition()).build().start();
        Files.createDirectories(dir.resolve("policies"));
        Files.writeString(dir.resolve("policies/echo.yaml"), """
                apiVersion: cilium.io/v2
                kind: CiliumNetworkPolicy
                metadata: {name: echo}
                spec:
                  endpointSelector: {matchLabels: {app: echo}}
                  ingress:
                    - fromEndpoints: [{matchLabels: {role: frontend}}]
                      toPorts:
                        - ports: [{port: "%d", protocol: TCP}]
                          rules:
                            grpc:
                              - {service: demo.Echo, method: Say}
                              - {service: demo.Echo, method: Tick}
                """.formatted(server.getPort()));
        Path config = Files.writeString(dir.resolve("agent.yaml"), """
                datapath: none
                policyDir: policies
                accessLog: off
                apiSocket: run/agent.sock
                stateDir: state
                workerThreads: 1
                endpoints:
                  - {name: frontend, labels: {role: frontend}, ips: [127.0.0.1]}
                  - {name: echo, labels: {app: echo}, ips: [127.0.0.2]}
                listeners: [{port: 0, upstream: "127.0.0.2:%d"}]
                proxy: {drainTime: 10s}
                """.formatted(server.getPort()));
        try (Agent agent = Agent.start(AgentConfigLoader.load(config))) {
            InetSocketAddress proxy = agent.listenAddresses().get(0);
            ManagedChannel channel = NettyChannelBuilder.forAddress(proxy.getHostString(), proxy.getPort())
                    .usePlaintext().build();
            try {
                assertThat(ClientCalls.blockingUnaryCall(channel, EchoService.SAY, CallOptions.DEFAULT, "a"))
                        .isEqualTo("hello a");
                AtomicBoolean upgraded = new AtomicBoolean();
                CompletableFuture<List<String>> streams = CompletableFuture.supplyAsync(() -> {
                    // Back to back, so that one runs whenever the old proxy hands over and drains.
                    List<String> broken = new ArrayList<>();
                    for (int n = 0; !upgraded.get() || n < 3; n++) {
                        List<String> ticks = new ArrayList<>();
                        try {
                            ClientCalls.blockingServerStreamingCall(channel, EchoService.TICK,
                                    CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS), "40 25")
                                    .forEachRemaining(ticks::add);
                        } catch (RuntimeException e) {
                            broken.add("stream " + n + " after " + ticks.size() + " ticks: " + e);
                            continue;
                        }
                        if (ticks.size() != 40) {
                            broken.add("stream " + n + " ended after " + ticks.size() + " ticks");
                        }
                    }
                    return broken;
                });
                Thread.sleep(300);

                agent.upgradeProxy();
                for (int i = 0; i < 20; i++) {
                    assertThat(ClientCalls.blockingUnaryCall(channel, EchoService.SAY,
                            CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), "b" + i)).isEqualTo("hello b" + i);
                }
                upgraded.set(true);

                assertThat(streams.get(30, TimeUnit.SECONDS)).as("broken streams").isEmpty();
            } finally {
                channel.shutdownNow();
                server.shutdownNow();
            }
        }
    }
}
