package io.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The demo's calls with unmodified clients, against the servers' real addresses: curl against the
 * API backend, the grpc-java greeter client, and kcat against the Kafka broker. Each expectation
 * says why {@code http-api.yaml} or {@code grpc-kafka.yaml} gives the result.
 */
final class DemoCalls {
    static final int GRPC_PORT = 50051;
    static final int KAFKA_PORT = 9092;
    static final String GREETER_SERVER = "io.portcullis.workloads.grpc.GreeterServerMain";
    static final String KAFKA_BROKER = "io.portcullis.workloads.kafka.KafkaBrokerMain";
    private static final String GREETER_CLIENT = "io.portcullis.workloads.grpc.GreeterClientMain";
    private static final String MESSAGE = "order 1001: 3 widgets";

    private DemoCalls() {
    }

    static List<DemoCall> http(String apiIp, int port) {
        String base = "http://" + apiIp + ":" + port;
        return List.of(
                curl("frontend", "GET", base, "/public/catalog", "public read"),
                curl("frontend", "GET", base, "/health", "health check"),
                curl("frontend", "GET", base, "/admin/users", "not a public path"),
                curl("frontend", "DELETE", base, "/public/catalog", "frontends may only GET"),
                curl("frontend", "GET", base, "/public/../admin/users", "dot segments are resolved first"),
                curl("admin", "DELETE", base, "/public/catalog", "admins may do anything"),
                curl("stranger", "GET", base, "/public/catalog", "no rule admits role=stranger: refused at connect"));
    }

    static List<DemoCall> grpc(String workloads, String greeterIp) {
        return List.of(
                greet(workloads, greeterIp, "SayHello", "clients may call SayHello"),
                greet(workloads, greeterIp, "SayGoodbye", "no rule allows SayGoodbye: a real gRPC status"));
    }

    static List<DemoCall> kafka(String kafkaIp) {
        return List.of(
                produce(kafkaIp, "producer", "orders", "producers may produce to orders"),
                produce(kafkaIp, "producer", "audit", "producers may not write audit"),
                consume(kafkaIp, "consumer", "orders", "consumers may consume orders"),
                consume(kafkaIp, "producer", "orders", "producers may not consume"));
    }

    private static DemoCall curl(String workload, String method, String base, String path, String expectation) {
        return new DemoCall(workload, method, path, List.of("curl", "-sS", "--path-as-is", "--max-time", "5", "-X",
                method, "-o", "/dev/null", "-w", "%{http_code}", base + path), "",
                result -> result.exitCode() == 7 ? "refused (connect failed: denied by policy)"
                        : result.exitCode() != 0 || result.stdout().startsWith("000")
                        ? "failed (" + (result.stdout() + result.stderr()).strip() + ")"
                        : "HTTP " + result.stdout().strip(),
                List.of(r -> true), expectation);
    }

    private static DemoCall greet(String workloads, String ip, String method, String expectation) {
        Predicate<JsonNode> call = r -> method.equals(r.path("grpc").path("method").asText(null));
        return new DemoCall("client", "gRPC", "helloworld.Greeter/" + method, WorkloadsClasspath.java(workloads,
                GREETER_CLIENT, ip, String.valueOf(GRPC_PORT), method, "client"), "",
                result -> result.exitCode() == 0 ? "OK \"" + result.stdout().strip() + "\""
                        : firstLine(result.stdout() + result.stderr()),
                List.of(call.and(r -> r.path("type").asText().equals("request")),
                        call.and(r -> r.path("type").asText().equals("response"))),
                expectation);
    }

    private static DemoCall produce(String ip, String workload, String topic, String expectation) {
        String clientId = workload + "-produce-" + topic;
        return new DemoCall(workload, "kafka", "produce " + topic, kcat(ip, clientId, "-P", "-t", topic),
                MESSAGE + "\n",
                result -> result.exitCode() == 0 && result.stderr().isBlank() ? "delivered" : refusal(result),
                kafkaRecords(clientId, "Produce"), expectation);
    }

    private static DemoCall consume(String ip, String workload, String topic, String expectation) {
        String clientId = workload + "-consume-" + topic;
        return new DemoCall(workload, "kafka", "consume " + topic,
                kcat(ip, clientId, "-C", "-t", topic, "-o", "beginning", "-e", "-q"), "",
                result -> result.exitCode() == 0 && !result.stdout().isBlank()
                        ? "got \"" + firstLine(result.stdout()) + "\"" : refusal(result),
                kafkaRecords(clientId, "Fetch"), expectation);
    }

    private static List<String> kcat(String ip, String clientId, String... args) {
        List<String> command = new ArrayList<>(List.of("kcat", "-b", ip + ":" + KAFKA_PORT,
                "-X", "client.id=" + clientId, "-X", "socket.timeout.ms=5000", "-X", "message.timeout.ms=5000"));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * The call's denied request and its answer, or else its request of {@code apiKey}: of the
     * dozen records a kcat run causes (ApiVersions, Metadata, ...) the ones that decide.
     */
    private static List<Predicate<JsonNode>> kafkaRecords(String clientId, String apiKey) {
        Predicate<JsonNode> call = r -> clientId.equals(r.path("kafka").path("clientId").asText(null));
        Predicate<JsonNode> denied = r -> r.path("verdict").asText().equals("denied");
        return List.of(call.and(r -> r.path("type").asText().equals("request")
                        && (denied.test(r) || apiKey.equals(r.path("kafka").path("apiKey").asText()))),
                call.and(r -> r.path("type").asText().equals("response") && denied.test(r)));
    }

    /** kcat's own error, e.g. "Broker: Topic authorization failed". */
    private static String refusal(EndpointProcess.Result result) {
        String error = result.stderr().lines().filter(line -> line.contains("ERROR") || line.contains("failed"))
                .findFirst().orElse(result.timedOut() ? "no answer" : "exit " + result.exitCode());
        int broker = error.lastIndexOf("Broker: ");
        return "refused (" + (broker >= 0 ? error.substring(broker) : error.strip()) + ")";
    }

    private static String firstLine(String text) {
        return text.strip().lines().findFirst().orElse("");
    }
}
