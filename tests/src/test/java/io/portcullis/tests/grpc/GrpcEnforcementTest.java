package io.portcullis.tests.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.portcullis.agent.Agent;
import io.portcullis.config.AgentConfigLoader;
import io.portcullis.proxy.testing.TcpSockets;
import io.portcullis.tests.support.AccessLogFile;
import io.portcullis.tests.support.ProcessRunner;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent ({@code datapath: none}) in front of a real grpc-java server on 127.0.0.2 and a plain
 * h2c backend, driven by grpc-java clients and curl from 127.0.0.1 (the frontend identity).
 * Policy: the frontend may call demo.Echo/{Say,Stream,Collect,Chat,Slow} (one {@code rules.grpc}
 * item each) but not Secret, and GET /public/.* on the h2c backend.
 */
class GrpcEnforcementTest {
    @TempDir
    static Path dir;
    static EchoService echo = new EchoService();
    static Server grpcServer;
    static H2cBackend h2Backend;
    static Agent agent;
    static InetSocketAddress grpcProxy;
    static InetSocketAddress h2Proxy;
    static AccessLogFile accessLog;
    ManagedChannel channel;

    @BeforeAll
    static void start() throws IOException {
        grpcServer = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.2", 0))
                .addService(echo.definition()).build().start();
        h2Backend = new H2cBackend("127.0.0.2");
        Path policies = Files.createDirectories(dir.resolve("policies"));
        Files.writeString(policies.resolve("echo.yaml"), """
                apiVersion: cilium.io/v2
                kind: CiliumNetworkPolicy
                metadata:
                  name: echo-ingress
                spec:
                  endpointSelector:
                    matchLabels: {app: echo}
                  ingress:
                    - fromEndpoints:
                        - matchLabels: {role: frontend}
                      toPorts:
                        - ports: [{port: "%d", protocol: TCP}]
                          rules:
                            grpc:
                              - {service: demo.Echo, method: Say}
                              - {service: demo.Echo, method: Stream}
                              - {service: demo.Echo, method: Collect}
                              - {service: demo.Echo, method: Chat}
                              - {service: demo.Echo, method: Slow}
                        - ports: [{port: "%d", protocol: TCP}]
                          rules:
                            http:
                              - {method: GET, path: "/public/.*"}
                """.formatted(grpcServer.getPort(), h2Backend.port()));
        Path config = Files.writeString(dir.resolve("agent.yaml"), """
                datapath: none
                policyDir: policies
                accessLog: access.log
                workerThreads: 1
                endpoints:
                  - {name: frontend, labels: {role: frontend}, ips: [127.0.0.1]}
                  - {name: echo, labels: {app: echo}, ips: [127.0.0.2]}
                listeners:
                  - {port: 0, upstream: "127.0.0.2:%d"}
                  - {port: 0, upstream: "127.0.0.2:%d"}
                """.formatted(grpcServer.getPort(), h2Backend.port()));
        agent = Agent.start(AgentConfigLoader.load(config));
        grpcProxy = agent.listenAddresses().get(0);
        h2Proxy = agent.listenAddresses().get(1);
        accessLog = new AccessLogFile(dir.resolve("access.log"));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (agent != null) {
            agent.close();
        }
        if (grpcServer != null) {
            grpcServer.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (h2Backend != null) {
            h2Backend.close();
        }
    }

    @BeforeEach
    void connect() {
        echo.calls.clear();
        channel = NettyChannelBuilder.forAddress(grpcProxy).usePlaintext().build();
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static JsonNode awaitGrpc(String type, String method) throws InterruptedException {
        return accessLog.await(r -> type.equals(r.path("type").asText())
                && "grpc".equals(r.path("l7Protocol").asText())
                && method.equals(r.path("grpc").path("method").asText()));
    }

    @Test
    void allowedUnaryCallReturnsTheServersReplyAndIsLogged() throws Exception {
        String reply = ClientCalls.blockingUnaryCall(channel, EchoService.SAY, CallOptions.DEFAULT, "bob");

        assertThat(reply).isEqualTo("hello bob");
        JsonNode request = awaitGrpc("request", "Say");
        assertThat(request.path("verdict").asText()).isEqualTo("forwarded");
        assertThat(request.path("grpc").path("service").asText()).isEqualTo("demo.Echo");
        assertThat(request.path("http").path("url").asText()).isEqualTo("/demo.Echo/Say");
        assertThat(request.path("http").path("protocol").asText()).isEqualTo("HTTP/2");
        assertThat(request.path("policy").asText()).isEqualTo("default/echo-ingress");
        JsonNode response = awaitGrpc("response", "Say");
        assertThat(response.path("grpc").path("status").asInt()).isEqualTo(0);
        assertThat(response.path("http").path("code").asInt()).isEqualTo(200);
    }

    /**
     * A client that closes its channel takes the proxy's upstream connection with it at once (not
     * at the proxy's idle timeout): none of the proxy's connections to the server stays open.
     */
    @Test
    void aClientThatClosesItsChannelLeavesNoUpstreamConnection() throws Exception {
        assertThat(ClientCalls.blockingUnaryCall(channel, EchoService.SAY, CallOptions.DEFAULT, "bob"))
                .isEqualTo("hello bob");
        assertThat(TcpSockets.matching(TcpSockets.connectedTo(grpcServer.getPort())))
                .as("the proxy's upstream connection while the client is connected").isNotEmpty();

        long start = System.nanoTime();
        channel.shutdown().awaitTermination(5, TimeUnit.SECONDS);

        assertThat(TcpSockets.awaitGone(TcpSockets.connectedTo(grpcServer.getPort()), 1_000)).isEmpty();
        assertThat(TcpSockets.awaitGone(TcpSockets.acceptedOn(grpcProxy.getPort()), 1_000)).isEmpty();
        System.out.println("client channel closed: the proxy's sockets of it were gone after "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
    }

    @Test
    void deniedMethodFailsWithPermissionDeniedAndNeverReachesTheServer() throws Exception {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                () -> ClientCalls.blockingUnaryCall(channel, EchoService.SECRET, CallOptions.DEFAULT, "x"));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(e.getStatus().getDescription()).isEqualTo("Access denied");
        assertThat(echo.calls).doesNotContain("Secret");
        JsonNode request = awaitGrpc("request", "Secret");
        assertThat(request.path("verdict").asText()).isEqualTo("denied");
        JsonNode response = awaitGrpc("response", "Secret");
        assertThat(response.path("verdict").asText()).isEqualTo("denied");
        assertThat(response.path("grpc").path("status").asInt()).isEqualTo(7);
    }

    @Test
    void serverStreamingPassesThroughWithBackpressure() {
        List<String> items = new ArrayList<>();
        Iterator<String> it = ClientCalls.blockingServerStreamingCall(channel, EchoService.STREAM,
                CallOptions.DEFAULT, "300");
        it.forEachRemaining(items::add);

        assertThat(items).hasSize(300);   // ~300 KB: several times the 64 KB stream window
        assertThat(items.get(299)).startsWith("item-299-").hasSize("item-299-".length() + 1000);
    }

    @Test
    void clientStreamingPassesThrough() throws Exception {
        CompletableFuture<String> result = new CompletableFuture<>();
        StreamObserver<String> requests = ClientCalls.asyncClientStreamingCall(
                channel.newCall(EchoService.COLLECT, CallOptions.DEFAULT), observer(result, new ArrayList<>()));
        String part = "p".repeat(1000);
        for (int i = 0; i < 400; i++) {
            requests.onNext(part);
        }
        requests.onCompleted();

        assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("400:" + (400 * 1000 + 399));
    }

    @Test
    void bidiStreamingPassesThrough() throws Exception {
        CompletableFuture<String> done = new CompletableFuture<>();
        List<String> replies = new java.util.concurrent.CopyOnWriteArrayList<>();
        StreamObserver<String> requests = ClientCalls.asyncBidiStreamingCall(
                channel.newCall(EchoService.CHAT, CallOptions.DEFAULT), observer(done, replies));
        for (int i = 0; i < 100; i++) {
            requests.onNext("m" + i);
        }
        requests.onCompleted();
        done.get(10, TimeUnit.SECONDS);

        assertThat(replies).hasSize(100).startsWith("echo m0").endsWith("echo m99");
    }

    @Test
    void deniedAndAllowedCallsShareAChannelAtOnce() throws Exception {
        CompletableFuture<String> chatDone = new CompletableFuture<>();
        List<String> chat = new java.util.concurrent.CopyOnWriteArrayList<>();
        StreamObserver<String> open = ClientCalls.asyncBidiStreamingCall(
                channel.newCall(EchoService.CHAT, CallOptions.DEFAULT), observer(chatDone, chat));
        open.onNext("before");
        var secret = ClientCalls.futureUnaryCall(channel.newCall(EchoService.SECRET, CallOptions.DEFAULT), "s");
        var say = ClientCalls.futureUnaryCall(channel.newCall(EchoService.SAY, CallOptions.DEFAULT), "alice");

        assertThat(say.get(5, TimeUnit.SECONDS)).isEqualTo("hello alice");
        Throwable denied = catchThrowableOfType(java.util.concurrent.ExecutionException.class,
                () -> secret.get(5, TimeUnit.SECONDS)).getCause();
        assertThat(Status.fromThrowable(denied).getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        open.onNext("after");
        open.onCompleted();
        chatDone.get(5, TimeUnit.SECONDS);
        assertThat(chat).containsExactly("echo before", "echo after");
    }

    @Test
    void cancellationReachesTheServer() throws Exception {
        echo.slowStarted = new CountDownLatch(1);
        echo.slowCancelled = new CountDownLatch(1);
        ClientCall<String, String> call = channel.newCall(EchoService.SLOW, CallOptions.DEFAULT);
        AtomicReference<Status> closed = new AtomicReference<>();
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onClose(Status status, Metadata trailers) {
                closed.set(status);
            }
        }, new Metadata());
        call.sendMessage("wait");
        call.halfClose();
        call.request(1);
        assertThat(echo.slowStarted.await(5, TimeUnit.SECONDS)).isTrue();

        call.cancel("client gave up", null);

        assertThat(echo.slowCancelled.await(5, TimeUnit.SECONDS)).as("server saw the cancel").isTrue();
        JsonNode response = awaitGrpc("response", "Slow");
        assertThat(response.path("verdict").asText()).isEqualTo("error");
        assertThat(response.path("reason").asText()).contains("reset by client (CANCEL)");
    }

    @Test
    void deadlinePropagatesAndExpires() throws Exception {
        echo.slowStarted = new CountDownLatch(1);
        echo.slowCancelled = new CountDownLatch(1);
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                () -> ClientCalls.blockingUnaryCall(channel, EchoService.SLOW,
                        CallOptions.DEFAULT.withDeadlineAfter(500, TimeUnit.MILLISECONDS), "wait"));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        assertThat(echo.slowCancelled.await(5, TimeUnit.SECONDS)).as("server-side deadline or cancel").isTrue();
    }

    @Test
    void curlPriorKnowledgeAllowedAndDenied() throws Exception {
        String base = "http://127.0.0.1:" + h2Proxy.getPort();
        ProcessRunner.Result allowed = ProcessRunner.run(List.of("curl", "-sS", "--max-time", "10",
                "--http2-prior-knowledge", "-o", "/dev/stdout", "-w", "\n%{http_code} %{http_version}",
                base + "/public/a/../b"));
        ProcessRunner.Result denied = ProcessRunner.run(List.of("curl", "-sS", "--max-time", "10",
                "--http2-prior-knowledge", "-o", "/dev/stdout", "-w", "\n%{http_code} %{http_version}",
                base + "/private"));

        assertThat(allowed.stdout()).isEqualTo("hello from h2 /public/b\n200 2");
        assertThat(denied.stdout()).isEqualTo("Access denied\r\n\n403 2");
        assertThat(h2Backend.paths).contains("/public/b").doesNotContain("/private");
        JsonNode record = accessLog.await(r -> "request".equals(r.path("type").asText())
                && "/private".equals(r.path("http").path("url").asText()));
        assertThat(record.path("verdict").asText()).isEqualTo("denied");
        assertThat(record.path("l7Protocol").asText()).isEqualTo("http");
    }

    @Test
    void curlH2cUpgradeIsJudgedAsStreamOne() throws Exception {
        String base = "http://127.0.0.1:" + h2Proxy.getPort();
        ProcessRunner.Result allowed = ProcessRunner.run(List.of("curl", "-sS", "--max-time", "10", "--http2",
                "-o", "/dev/stdout", "-w", "\n%{http_code} %{http_version}", base + "/public/upgraded"));
        ProcessRunner.Result denied = ProcessRunner.run(List.of("curl", "-sS", "--max-time", "10", "--http2",
                "-o", "/dev/stdout", "-w", "\n%{http_code} %{http_version}", base + "/admin"));

        assertThat(allowed.stdout()).isEqualTo("hello from h2 /public/upgraded\n200 2");
        assertThat(denied.stdout()).isEqualTo("Access denied\r\n\n403 2");
        assertThat(h2Backend.paths).doesNotContain("/admin");
    }

    private static StreamObserver<String> observer(CompletableFuture<String> result, List<String> replies) {
        return new StreamObserver<String>() {
            private String last;

            @Override
            public void onNext(String value) {
                last = value;
                replies.add(value);
            }

            @Override
            public void onError(Throwable t) {
                result.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                result.complete(last);
            }
        };
    }
}
