package io.portcullis.tests.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * {@code bin/bench} runs end to end, so that the harness cannot rot: a run of a second per target
 * (after a second of warm-up) of the HTTP/1.1 keep-alive, 64 KiB upload and gRPC scenarios, with
 * Portcullis and the bench servers from this module's class path. What it measured is not judged,
 * only that every target of each scenario passed the correctness checks, was timed, and is in the
 * table, the JSON file and the chart.
 */
class BenchSmokeTest {
    private static final List<String> SCENARIOS = List.of("http", "upload-64k", "grpc");
    private static final List<String> TARGETS = List.of("direct", "haproxy", "nginx", "portcullis");

    @TempDir
    Path dir;

    @Test
    void shortRunTimesEveryTargetOfEachScenarioAndWritesTableJsonAndChart() throws Exception {
        Path out = dir.resolve("out");
        Path log = dir.resolve("bench.out");
        Process bench = new ProcessBuilder("python3", repository().resolve("bin/bench").toString(),
                "--scenario", String.join(",", SCENARIOS), "--duration", "1", "--warmup", "1",
                "--classpath", System.getProperty("java.class.path"), "--out", out.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        bench.getOutputStream().close();
        if (!bench.waitFor(3, TimeUnit.MINUTES)) {
            bench.destroy();   // SIGTERM: the harness stops every server it started
            if (!bench.waitFor(30, TimeUnit.SECONDS)) {
                bench.descendants().forEach(ProcessHandle::destroyForcibly);
                bench.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        String output = Files.readString(log);
        assertThat(bench.exitValue()).as(output).isZero();

        JsonNode scenarios = new ObjectMapper().readTree(out.resolve("bench.json").toFile()).path("scenarios");
        assertThat(names(scenarios)).as(output).containsExactlyElementsOf(SCENARIOS);
        for (String scenario : SCENARIOS) {
            JsonNode targets = scenarios.path(scenario).path("targets");
            assertThat(names(targets)).as(scenario).containsExactlyElementsOf(TARGETS);
            for (String target : TARGETS) {
                assertThat(targets.path(target).path("rps").isNumber()).as(scenario + "/" + target).isTrue();
                // null when no call completed in the second: a cold JVM on a busy machine
                assertThat(targets.path(target).has("p99_us")).as(scenario + "/" + target).isTrue();
            }
            assertThat(scenarios.path(scenario).path("ratios").path("best_peer").asText()).isIn("haproxy", "nginx");
            assertThat(output).containsPattern("(?m)^" + scenario + ": ");
        }
        for (String target : TARGETS) {
            assertThat(output).as("the correctness checks passed")
                    .containsPattern("\\[bench\\] " + target + ": allowed GET/POST .*: ok")
                    .containsPattern("\\[bench\\] " + target + ": /demo.Echo/Say → grpc-status 0.*: ok");
        }

        Document chart = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(out.resolve("bench.svg").toFile());
        assertThat(chart.getDocumentElement().getTagName()).isEqualTo("svg");
        String text = chart.getDocumentElement().getTextContent();
        assertThat(text).contains(SCENARIOS).contains(TARGETS).contains("p99");
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The checkout this module is part of: the nearest directory above with bin/bench. */
    private static Path repository() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("bin/bench"))) {
                return p;
            }
        }
        throw new IllegalStateException("no bin/bench above " + Path.of("").toAbsolutePath());
    }
}
