package io.portcullis.tests.steering;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.tests.support.NodeCleanup;
import io.portcullis.tests.support.Privileges;
import io.portcullis.tests.support.ProcessRunner;
import io.portcullis.workloads.grpc.GreeterClientMain;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transparency for gRPC and Kafka: the workloads' grpc-java greeter and KRaft broker, each a separate
 * JVM inside the server endpoint on its real address, and unmodified clients (the greeter's client
 * JVM, kcat) run
 * in a client endpoint with {@code endpoint exec}. connect4 (kcat) and connect6 (the dual-stack
 * JVM) steer them into the proxy, which enforces {@code rules.grpc} / {@code rules.kafka} and
 * forwards to the original destination.
 */
class TransparentGrpcKafkaTest {
    private static final String POOL = "10.236.0.0/24";
    private static final int GRPC_PORT = 50051;
    private static final int KAFKA_PORT = 9092;
    private static final String POLICY = """
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata:
              name: gk-server-ingress
            spec:
              endpointSelector: {matchLabels: {app: gk-server}}
              ingress:
                - fromEndpoints: [{matchLabels: {role: gk-client}}]
                  toPorts:
                    - ports: [{port: "%d", protocol: TCP}]
                      rules:
                        grpc:
                          - {service: helloworld.Greeter, method: SayHello}
                    - ports: [{port: "%d", protocol: TCP}]
                      rules:
                        kafka:
                          - {role: produce, topic: orders}
                          - {role: consume, topic: orders}
            """.formatted(GRPC_PORT, KAFKA_PORT);

    @TempDir
    static Path dir;
    static SteeringNode node;
    static JsonNode server;
    static JsonNode client;

    @BeforeAll
    static void start() throws Exception {
        Privileges.requireRoot("endpoints are namespaces and cgroups; steering is BPF");
        node = new SteeringNode(dir, POOL, false);
        node.applyPolicy("gk-server.yaml", POLICY);
        server = node.endpoint("gk-server", "app=gk-server");
        client = node.endpoint("gk-client", "role=gk-client");
        node.greeterAndBroker(server, GRPC_PORT, KAFKA_PORT);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (node != null) {
            node.close();
            NodeCleanup.assertNothingLeftBehind(POOL);
        }
    }

    private static ProcessRunner.Result grpcCall(String method, String arg) throws Exception {
        // Java's default dual-stack sockets connect to IPv4 as ::ffff:a.b.c.d: steered by connect6.
        return node.exec("gk-client", SteeringNode.java(), "-cp", System.getProperty("java.class.path"),
                GreeterClientMain.class.getName(), server.path("ip").asText(), String.valueOf(GRPC_PORT), method, arg);
    }

    private static Predicate<JsonNode> grpc(String type, String method) {
        return r -> type.equals(r.path("type").asText()) && "grpc".equals(r.path("l7Protocol").asText())
                && method.equals(r.path("grpc").path("method").asText());
    }

    private static Predicate<JsonNode> kafka(String type, String apiKey, String clientId) {
        return r -> type.equals(r.path("type").asText()) && "kafka".equals(r.path("l7Protocol").asText())
                && apiKey.equals(r.path("kafka").path("apiKey").asText())
                && clientId.equals(r.path("kafka").path("clientId").asText());
    }

    private static void assertFromClient(JsonNode record) {
        assertThat(record.path("source").path("endpoint").asText()).isEqualTo("gk-client");
        assertThat(record.path("source").path("identity").asInt()).isEqualTo(client.path("identity").asInt());
        assertThat(record.path("source").path("ip").asText()).isEqualTo(client.path("ip").asText());
        assertThat(record.path("destination").path("endpoint").asText()).isEqualTo("gk-server");
        assertThat(record.path("policy").asText()).isEqualTo("default/gk-server-ingress");
    }

    /** kcat inside the client endpoint against the server endpoint's real address. */
    private static ProcessRunner.Result kcat(String clientId, String args) throws Exception {
        return node.exec("gk-client", "sh", "-c", "kcat -b " + server.path("ip").asText() + ":" + KAFKA_PORT
                + " -X client.id=" + clientId + " -X socket.timeout.ms=5000 -X message.timeout.ms=5000 " + args);
    }

    @Test
    void anAllowedGrpcMethodReachesTheServerAtItsRealAddress() throws Exception {
        ProcessRunner.Result call = grpcCall("SayHello", "bob");
        assertThat(call.stdout().strip()).as(call.stderr()).isEqualTo("Hello, bob");
        assertThat(call.exitCode()).isZero();

        JsonNode request = node.accessLog.await(grpc("request", "SayHello"));
        assertThat(request.path("verdict").asText()).isEqualTo("forwarded");
        assertThat(request.path("grpc").path("service").asText()).isEqualTo("helloworld.Greeter");
        assertThat(request.path("destination").path("port").asInt()).isEqualTo(GRPC_PORT);
        assertFromClient(request);
    }

    @Test
    void aDeniedGrpcMethodFailsWithPermissionDenied() throws Exception {
        ProcessRunner.Result call = grpcCall("SayGoodbye", "bob");
        assertThat(call.stdout().strip()).as(call.stderr()).startsWith("PERMISSION_DENIED: ");
        assertThat(call.exitCode()).isNotZero();

        JsonNode request = node.accessLog.await(grpc("request", "SayGoodbye"));
        assertThat(request.path("verdict").asText()).isEqualTo("denied");
        assertFromClient(request);
        assertThat(node.accessLog.await(grpc("response", "SayGoodbye")).path("grpc").path("status").asInt())
                .isEqualTo(7);
    }

    @Test
    void kcatProducesToAnAllowedTopicAndConsumesItBack() throws Exception {
        String value = "order-" + System.nanoTime();
        ProcessRunner.Result produce = kcat("gk-writer", "-P -t orders <<EOF\n" + value + "\nEOF");
        assertThat(produce.exitCode()).as(produce.stderr()).isZero();

        ProcessRunner.Result consume = kcat("gk-reader", "-C -t orders -o beginning -e -q");
        assertThat(consume.exitCode()).as(consume.stderr()).isZero();
        assertThat(consume.stdout().lines()).contains(value);

        JsonNode produced = node.accessLog.await(kafka("request", "Produce", "gk-writer"));
        assertThat(produced.path("verdict").asText()).isEqualTo("forwarded");
        assertThat(produced.path("kafka").path("topics").toString()).isEqualTo("[\"orders\"]");
        assertThat(produced.path("destination").path("port").asInt()).isEqualTo(KAFKA_PORT);
        assertFromClient(produced);
        JsonNode fetched = node.accessLog.await(kafka("request", "Fetch", "gk-reader"));
        assertThat(fetched.path("verdict").asText()).isEqualTo("forwarded");
        assertFromClient(fetched);
    }

    @Test
    void kcatProducingToAForbiddenTopicFails() throws Exception {
        ProcessRunner.Result produce = kcat("gk-intruder", "-P -t payments <<EOF\nstolen\nEOF");
        assertThat(produce.exitCode()).as(produce.stdout() + produce.stderr()).isNotZero();
        assertThat(produce.stderr()).containsIgnoringCase("authorization");

        JsonNode denied = node.accessLog.await(r -> "kafka".equals(r.path("l7Protocol").asText())
                && "gk-intruder".equals(r.path("kafka").path("clientId").asText())
                && "denied".equals(r.path("verdict").asText()));
        assertFromClient(denied);
        // Nothing reached the broker: read back from inside the server's netns (not steered), it is empty.
        ProcessRunner.Result payments = ProcessRunner.run(List.of("ip", "netns", "exec", server.path("netns").asText(),
                "kcat", "-b", server.path("ip").asText() + ":" + KAFKA_PORT, "-C", "-t", "payments", "-o", "beginning",
                "-e", "-q"));
        assertThat(payments.exitCode()).as(payments.stderr()).isZero();
        assertThat(payments.stdout()).isEmpty();
    }
}
