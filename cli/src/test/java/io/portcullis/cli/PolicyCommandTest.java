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
        assertThat(run.out()).contains("verdict:     allowed").contains("policy:      api-allow")
                .contains("ingress[0].toPorts[0].rules.http[0]");
    }

    @Test
    void explainAsJsonSaysWhyNothingAllowed() throws IOException {
        CliRun run = CliRun.of("policy", "explain", "--policies", EXAMPLES, "--from", "role=frontend",
                "--to", "app=api", "--port", "80", "--http", "DELETE /public/items", "-o", "json");

        assertThat(run.exitCode()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.path("verdict").asText()).isEqualTo("denied");
        assertThat(json.path("policy").asText()).isEqualTo("api-allow");
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
                        - ports: [{port: "80"}]
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
