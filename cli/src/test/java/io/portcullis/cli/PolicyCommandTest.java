package io.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyCommandTest {
    private static final String EXAMPLES = Path.of("..", "config", "examples", "policies").toString();

    @TempDir
    Path dir;

    @Test
    void validateAcceptsTheShippedExamples() {
        CliRun run = CliRun.of("policy", "validate", EXAMPLES);

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("policies valid");
    }

    @Test
    void validateReportsEveryErrorWithFileLineAndField() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), """
                apiVersion: cilium.io/v2
                kind: CiliumNetworkPolicy
                metadata: {name: bad}
                spec:
                  endpointSelector: {matchLabels: {app: api}}
                  ingress:
                    - toPorts:
                        - ports: [{port: "70000"}]
                          rules:
                            http: [{path: "/(x"}]
                """);

        CliRun run = CliRun.of("policy", "validate", bad.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains(bad + ":8:").contains("field 'spec.ingress[0].toPorts[0].ports[0].port'")
                .contains("70000");
        assertThat(run.err()).contains(bad + ":10:").contains("field 'spec.ingress[0].toPorts[0].rules.http[0].path'");
    }

    @Test
    void explainNamesTheDecidingRule() {
        CliRun run = CliRun.of("policy", "explain", "--policies", EXAMPLES, "--from", "role=frontend",
                "--to", "app=api", "--port", "80", "--http", "GET /public/items");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("verdict:     allowed").contains("policy:      default/api-allow")
                .contains("ingress[0].toPorts[0].rules.http[0]").contains("source:      role=frontend in namespace default");
    }

    @Test
    void explainAsJsonSaysWhyNothingAllowed() throws IOException {
        CliRun run = CliRun.of("policy", "explain", "--policies", EXAMPLES, "--from", "role=frontend",
                "--to", "app=api", "--port", "80", "--http", "DELETE /public/items", "-o", "json");

        assertThat(run.exitCode()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.path("verdict").asText()).isEqualTo("denied");
        assertThat(json.path("policy").asText()).isEqualTo("default/api-allow");
        assertThat(json.path("destinationNamespace").asText()).isEqualTo("default");
        assertThat(json.path("reason").asText()).isNotBlank();
        assertThat(json.path("directions")).hasSize(2);
    }

    @Test
    void explainHeadersReachTheRules() throws IOException {
        Files.writeString(dir.resolve("p.yaml"), """
                apiVersion: cilium.io/v2
                kind: CiliumNetworkPolicy
                metadata: {name: tenant}
                spec:
                  endpointSelector: {matchLabels: {app: api}}
                  ingress:
                    - toPorts:
                        - ports: [{port: "80", protocol: TCP}]
                          rules:
                            http: [{method: POST, path: /orders, headers: ["X-Tenant: blue"]}]
                """);
        String[] base = {"policy", "explain", "--policies", dir.toString(), "--from", "role=x", "--to", "app=api",
                "--port", "80", "--http", "POST /orders", "-o", "json"};

        JsonNode without = new ObjectMapper().readTree(CliRun.of(base).out());
        String[] withHeader = java.util.Arrays.copyOf(base, base.length + 2);
        withHeader[base.length] = "--header";
        withHeader[base.length + 1] = "X-Tenant: blue";
        JsonNode with = new ObjectMapper().readTree(CliRun.of(withHeader).out());

        assertThat(without.path("verdict").asText()).isEqualTo("denied");
        assertThat(with.path("verdict").asText()).isEqualTo("allowed");
    }

    @Test
    void explainJudgesGrpcAndKafkaRequestsAndNamesEachSidesNamespace() throws IOException {
        CliRun grpc = CliRun.of("policy", "explain", "--policies", EXAMPLES, "--from", "app=client", "--to",
                "app=greeter", "--port", "50051", "--grpc", "helloworld.Greeter/SayGoodbye");
        assertThat(grpc.exitCode()).as(grpc.err()).isZero();
        assertThat(grpc.out()).contains("verdict:     denied").contains("request:     gRPC helloworld.Greeter/SayGoodbye");

        CliRun kafka = CliRun.of("policy", "explain", "--policies", EXAMPLES, "--from", "role=producer",
                "--from-namespace", "billing", "--to", "app=kafka", "--to-namespace", "data", "--port", "9092",
                "--kafka", "produce version=9 clientID=billing topic=orders", "-o", "json");
        assertThat(kafka.exitCode()).as(kafka.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(kafka.out());
        assertThat(json.path("verdict").asText()).isEqualTo("allowed");
        assertThat(json.path("request").asText()).isEqualTo("Kafka produce v9 clientID=billing topics [orders]");
        assertThat(json.path("sourceNamespace").asText()).isEqualTo("billing");
        assertThat(json.path("destinationNamespace").asText()).isEqualTo("data");

        CliRun audit = CliRun.of("policy", "explain", "--policies", EXAMPLES, "--from", "role=producer", "--to",
                "app=kafka", "--port", "9092", "--kafka", "produce topic=audit");
        assertThat(audit.out()).contains("verdict:     denied").contains("topic \"audit\"");

        CliRun both = CliRun.of("policy", "explain", "--policies", EXAMPLES, "--from", "role=producer", "--to",
                "app=kafka", "--port", "9092", "--kafka", "produce", "--http", "GET /");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("give one of --http, --grpc and --kafka");
    }

    @Test
    void validatePrintsWarningsAndStillPasses() throws IOException {
        Path file = Files.writeString(dir.resolve("v6.yaml"), """
                apiVersion: cilium.io/v2
                kind: CiliumNetworkPolicy
                metadata: {name: dual-stack}
                spec:
                  endpointSelector: {matchLabels: {app: api}}
                  egress:
                    - toCIDR: [192.0.2.0/24, "2001:db8::/32"]
                """);
        CliRun run = CliRun.of("policy", "validate", file.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("1 policy valid");
        assertThat(run.err()).contains("warning: " + file + ":7:").contains("IPv6 prefix 2001:db8::/32 is loaded but"
                + " allows nothing");
    }

    @Test
    void explainRejectsAMalformedRequest() {
        CliRun run = CliRun.of("policy", "explain", "--policies", EXAMPLES, "--from", "role=frontend",
                "--to", "app=api", "--port", "80", "--http", "GET");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--http must look like 'GET /path'");
    }

    @Test
    void agentWithABadConfigExitsWithTheLocatedError() throws IOException {
        Path config = Files.writeString(dir.resolve("agent.yaml"), "policyDir: p\nlistners: []\n");

        CliRun run = CliRun.of("agent", "--config", config.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains(config + ":2:1: field 'listners': unknown field");
    }
}
