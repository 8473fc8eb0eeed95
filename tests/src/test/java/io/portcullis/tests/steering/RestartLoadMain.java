package io.portcullis.tests.steering;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.portcullis.proxy.testing.RawClient;
import io.portcullis.tests.grpc.EchoService;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code RestartLoadMain SERVER_IP CLIENT_IP HTTP_PORT GRPC_PORT KAFKA_PORT}: the load of
 * {@link RestartsUnderLoadTest}, run inside a client endpoint so that every connection is steered
 * to the proxy. All at once, until told to end: HTTP/1.1 keep-alive (two connections) and one new
 * connection per request to {@code /public/}, a request to {@code /private/} (always denied: 403,
 * or refused while no proxy listens, never anything else), gRPC unary calls, back-to-back long
 * server streams (every tick must arrive, in order), and a Kafka producer and consumer
 * ({@link KafkaLoad}). A keep-alive connection the proxy ends with {@code Connection: close} is
 * reopened; one that ends without a response to a request sent on it is a failure.
 *
 * <p>Reads commands on stdin: {@code mark} prints {@code PHASE <json>} (each load's figures since
 * the previous mark, see {@link LoadStats}); {@code end} stops, waits for the consumer to have read
 * every record the broker acknowledged, prints {@code END <json>} (Kafka's exactly-once figures,
 * every policy probe: path index, start and end in epoch microseconds, status; the last phase) and
 * exits. A phase also counts the keep-alive connections the proxy closed after a response.
 */
public final class RestartLoadMain {
    /** What the policy probe asks for, in turn: allowed by every revision, by even ones, by odd ones, never. */
    static final List<String> PROBE_PATHS = List.of("/public/probe", "/even/probe", "/odd/probe", "/private/probe");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int STREAM_TICKS = 100;
    private static final int TICK_MILLIS = 20;

    private final LoadStats stats = new LoadStats();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong closedAtBoundary = new AtomicLong();
    private final List<long[]> probes = new ArrayList<>();
    private final String clientIp;
    private final InetSocketAddress http;
    private final ManagedChannel channel;

    private RestartLoadMain(String serverIp, String clientIp, int httpPort, int grpcPort) {
        this.clientIp = clientIp;
        this.http = new InetSocketAddress(serverIp, httpPort);
        this.channel = NettyChannelBuilder.forAddress(serverIp, grpcPort).usePlaintext().build();
    }

    public static void main(String[] args) throws Exception {
        RestartLoadMain load = new RestartLoadMain(args[0], args[1], Integer.parseInt(args[2]),
                Integer.parseInt(args[3]));
        KafkaLoad kafka = new KafkaLoad(args[0] + ":" + args[4], load.stats);
        List<Thread> threads = new ArrayList<>(List.of(
                load.loop("http-keepalive", load::keepAlive), load.loop("http-keepalive", load::keepAlive),
                load.loop("http-newconn", load::newConnection), load.loop("http-denied", load::denied),
                load.loop("policy-probe", load::probe), load.loop("grpc-unary", load::unary),
                load.loop("grpc-stream", load::stream)));
        threads.addAll(kafka.start());
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String command; (command = commands.readLine()) != null; ) {
            if (command.equals("mark")) {
                load.channel.resetConnectBackoff();
                System.out.println("PHASE " + JSON.writeValueAsString(load.phase()));
            } else if (command.equals("end")) {
                break;
            }
        }
        load.running.set(false);
        for (Thread thread : threads.subList(0, threads.size() - 2)) {
            thread.join(TimeUnit.SECONDS.toMillis(15));
        }
        Map<String, Object> end = new LinkedHashMap<>();
        end.put("kafka", kafka.finish());
        synchronized (load.probes) {
            end.put("probes", load.probes);
        }
        end.put("last", load.phase());
        System.out.println("END " + JSON.writeValueAsString(end));
        System.out.flush();
        load.channel.shutdownNow();
        System.exit(0);
    }

    /** The figures of the phase that ends now: each load's, and the connections the proxy closed after a response. */
    private Map<String, Object> phase() {
        Map<String, Object> phase = new LinkedHashMap<>();
        phase.put("loads", stats.takePhase());
        phase.put("closedAtBoundary", closedAtBoundary.getAndSet(0));
        return phase;
    }

    /** One of the loads: runs its step again and again while running, each a request or a stream. */
    private Thread loop(String kind, Step step) {
        Thread thread = new Thread(() -> {
            RawClient[] connection = new RawClient[1];
            while (running.get()) {
                long start = System.nanoTime();
                try {
                    step.run(kind, start, connection);
                } catch (Exception e) {
                    stats.failed(kind, e);
                    closeQuietly(connection);
                    pause();
                }
            }
            closeQuietly(connection);
        }, kind);
        thread.start();
        return thread;
    }

    private interface Step {
        void run(String kind, long start, RawClient[] connection) throws Exception;
    }

    private void keepAlive(String kind, long start, RawClient[] connection) throws IOException {
        if (connection[0] == null) {
            connection[0] = new RawClient(clientIp, http);
        }
        RawClient.Response response = connection[0].send("GET /public/keepalive HTTP/1.1\r\nHost: server\r\n\r\n")
                .read();
        if ("close".equalsIgnoreCase(response.header("Connection"))) {
            closedAtBoundary.incrementAndGet();
            closeQuietly(connection);
        }
        expect(kind, start, response, 200);
    }

    private void newConnection(String kind, long start, RawClient[] unused) throws IOException {
        try (RawClient client = new RawClient(clientIp, http)) {
            expect(kind, start, client.send("GET /public/new HTTP/1.1\r\nHost: server\r\nConnection: close\r\n\r\n")
                    .read(), 200);
        }
    }

    private void denied(String kind, long start, RawClient[] unused) throws Exception {
        try (RawClient client = new RawClient(clientIp, http)) {
            expect(kind, start, client.send("GET /private/denied HTTP/1.1\r\nHost: server\r\nConnection: close\r\n\r\n")
                    .read(), 403);
        }
        Thread.sleep(20);
    }

    /** One request to each probe path on one keep-alive connection, each recorded with its status. */
    private void probe(String kind, long start, RawClient[] connection) throws IOException {
        if (connection[0] == null) {
            connection[0] = new RawClient(clientIp, http);
        }
        for (int i = 0; i < PROBE_PATHS.size(); i++) {
            long from = epochMicros();
            RawClient.Response response = connection[0].send("GET " + PROBE_PATHS.get(i)
                    + " HTTP/1.1\r\nHost: server\r\n\r\n").read();
            synchronized (probes) {
                probes.add(new long[] {i, from, epochMicros(), response.status()});
            }
            if (response.status() != 200 && response.status() != 403) {
                stats.failed(kind, "status " + response.status() + " for " + PROBE_PATHS.get(i));
            }
            if ("close".equalsIgnoreCase(response.header("Connection"))) {
                closedAtBoundary.incrementAndGet();
                closeQuietly(connection);
                connection[0] = new RawClient(clientIp, http);
            }
        }
        stats.ok(kind, start);
    }

    private void unary(String kind, long start, RawClient[] unused) {
        String reply = ClientCalls.blockingUnaryCall(channel, EchoService.SAY,
                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), "load");
        if (reply.equals("hello load")) {
            stats.ok(kind, start);
        } else {
            stats.failed(kind, "unexpected reply " + reply);
        }
    }

    /** A stream of STREAM_TICKS ticks: broken unless every one arrives, in order. */
    private void stream(String kind, long start, RawClient[] unused) {
        Iterator<String> ticks = ClientCalls.blockingServerStreamingCall(channel, EchoService.TICK,
                CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), STREAM_TICKS + " " + TICK_MILLIS);
        int received = 0;
        while (ticks.hasNext()) {
            String tick = ticks.next();
            if (!tick.equals("tick-" + received)) {
                stats.failed(kind, "tick " + received + " was " + tick);
                return;
            }
            received++;
        }
        if (received == STREAM_TICKS) {
            stats.ok(kind, start);
        } else {
            stats.failed(kind, "stream ended after " + received + " ticks");
        }
    }

    private void expect(String kind, long start, RawClient.Response response, int status) {
        if (response.status() == status) {
            stats.ok(kind, start);
        } else {
            stats.failed(kind, "status " + response.status() + ": " + response.body().strip());
        }
    }

    private static long epochMicros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }

    private static void closeQuietly(RawClient[] connection) {
        if (connection[0] != null) {
            try {
                connection[0].close();
            } catch (IOException ignored) {
                // The connection is gone either way.
            }
            connection[0] = null;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
