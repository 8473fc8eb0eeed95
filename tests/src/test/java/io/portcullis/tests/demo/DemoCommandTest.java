package io.portcullis.tests.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.tests.support.NodeCleanup;
import io.portcullis.tests.support.Privileges;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main job, run as the README says: endpoints with the BPF datapath, unmodified curl,
 * a grpc-java client and kcat from each, every call gets the verdict its workload earns, shown
 * with its access-log records, and nothing is left behind. The demo runs as its own JVM, as
 * {@code bin/portcullis demo} does, so that what is left behind is the node's, not this JVM's; its
 * workloads (greeter, broker) come from this JVM's classpath, which holds the workloads module.
 */
class DemoCommandTest {
    @TempDir
    Path dir;

    /** A call's outcome line and, on the next line, its first record (one JSON object per line). */
    private static String withRecord(String outcome, String record) {
        return outcome + ".*\\R +\\{[^\\n]*" + record;
    }

    /**
     * The kernel frees an unpinned, detached BPF program only once its last reference (the
     * SOCKHASH and the sockets in it) is released, which can lag the demo's end by a moment.
     */
    private static void assertNothingLeftBehindWithin(Duration grace) throws Exception {
        long deadline = System.nanoTime() + grace.toNanos();
        while (true) {
            try {
                NodeCleanup.assertNothingLeftBehind("10.209.0.0/24");
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    @Test
    void demoShowsEachVerdictWithItsAccessLogRecord() throws Exception {
        Privileges.requireRoot("the demo creates endpoints and attaches BPF programs");
        String classpath = System.getProperty("java.class.path");
        Path output = dir.resolve("demo.out");
        Path errors = dir.resolve("demo.err");
        Process demo = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dportcullis.workloads=" + classpath, "-cp", classpath, "io.portcullis.cli.Main", "demo")
                .redirectOutput(output.toFile()).redirectError(errors.toFile()).start();
        demo.getOutputStream().close();
        if (!demo.waitFor(3, TimeUnit.MINUTES)) {
            // Killed, the demo cannot clean up: its proxy process and workloads go with it.
            demo.descendants().forEach(ProcessHandle::destroyForcibly);
            demo.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        int exit = demo.exitValue();
        String text = Files.readString(output);
        String err = Files.readString(errors);

        assertThat(exit).as(text + err).isZero();
        assertThat(text).containsPattern("frontend +GET +/public/catalog +-> HTTP 200")
                .containsPattern("frontend +GET +/admin/users +-> HTTP 403")
                .containsPattern("frontend +DELETE +/public/catalog +-> HTTP 403")
                .containsPattern("frontend +GET +/public/\\.\\./admin/users +-> HTTP 403")
                .containsPattern("admin +DELETE +/public/catalog +-> HTTP 200")
                .containsPattern("stranger +GET +/public/catalog +-> refused")
                .contains("\"verdict\":\"denied\"").contains("\"policy\":\"default/api-allow\"")
                .contains("datapath bpf").contains("policies http-api.yaml, grpc-kafka.yaml").contains("cleaned up");
        assertThat(text)
                .containsPattern(withRecord("client +gRPC +helloworld\\.Greeter/SayHello +-> OK \"Hello, client\"",
                        "\"verdict\":\"forwarded\"[^\\n]*\"l7Protocol\":\"grpc\"[^\\n]*\"endpoint\":\"client\""
                                + "[^\\n]*\"method\":\"SayHello\"[^\\n]*\"policy\":\"default/greeter-grpc\""))
                .containsPattern(withRecord("client +gRPC +helloworld\\.Greeter/SayGoodbye +-> PERMISSION_DENIED",
                        "\"verdict\":\"denied\"[^\\n]*\"l7Protocol\":\"grpc\"[^\\n]*\"method\":\"SayGoodbye\""))
                .containsPattern("\"type\":\"response\",\"verdict\":\"denied\"[^\\n]*\"l7Protocol\":\"grpc\"[^\\n]*"
                        + "\"method\":\"SayGoodbye\",\"status\":7");
        assertThat(text)
                .containsPattern(withRecord("producer +kafka +produce orders +-> delivered",
                        "\"verdict\":\"forwarded\"[^\\n]*\"l7Protocol\":\"kafka\"[^\\n]*\"endpoint\":\"producer\""
                                + "[^\\n]*\"apiKey\":\"Produce\"[^\\n]*\"topics\":\\[\"orders\"\\]"))
                .containsPattern(withRecord("producer +kafka +produce audit +-> refused \\(Broker: Topic authorization "
                        + "failed\\)", "\"verdict\":\"denied\"[^\\n]*\"l7Protocol\":\"kafka\"[^\\n]*"
                        + "\"topics\":\\[\"audit\"\\][^\\n]*\"policy\":\"orders-kafka\""))
                .containsPattern("\"type\":\"response\",\"verdict\":\"denied\"[^\\n]*\"l7Protocol\":\"kafka\"[^\\n]*"
                        + "\"topics\":\\[\"audit\"\\],\"errorCode\":29")
                .containsPattern(withRecord("consumer +kafka +consume orders +-> got \"order 1001: 3 widgets\"",
                        "\"verdict\":\"forwarded\"[^\\n]*\"l7Protocol\":\"kafka\"[^\\n]*\"endpoint\":\"consumer\""
                                + "[^\\n]*\"apiKey\":\"Fetch\""))
                .containsPattern(withRecord("producer +kafka +consume orders +-> refused",
                        "\"verdict\":\"denied\"[^\\n]*\"l7Protocol\":\"kafka\"[^\\n]*\"endpoint\":\"producer\""));
        assertNothingLeftBehindWithin(Duration.ofSeconds(10));
        assertThat(ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse("")))
                .as("the demo stops its workloads")
                // its workloads run on this test's classpath; other programs of the node may run the same classes
                .noneMatch(command -> command.contains("io.portcullis.workloads.") && command.contains(classpath));
    }
}
