package io.portcullis.tests.steering;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@link RestartLoadMain} running inside a client endpoint (its cgroup and netns, as
 * {@code endpoint exec} puts it there, without needing the agent afterwards), driven from the test:
 * {@link #mark} ends a phase and returns its figures, {@link #end} the final ones. Lines other than
 * the answers go to {@code load.log}.
 */
final class LoadDriver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

    LoadDriver(JsonNode client, Path log, String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", "echo $$ > \"$0/cgroup.procs\" && exec \"$@\"",
                client.path("cgroup").asText(), "ip", "netns", "exec", client.path("netns").asText(),
                SteeringNode.java(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                RestartLoadMain.class.getName()));
        argv.addAll(List.of(args));
        process = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("PHASE ") || line.startsWith("END ")) {
                        answers.add(line);
                    } else {
                        Files.writeString(log, line + "\n", StandardOpenOption.APPEND);
                    }
                }
            } catch (IOException e) {
                answers.add("GONE " + e);
            }
            answers.add("GONE");
        }, "load-driver-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Ends the current phase: each load's figures since the previous mark. */
    JsonNode mark() throws Exception {
        return ask("mark", "PHASE ");
    }

    /** Stops the load; Kafka's exactly-once figures, the policy probes and the last phase. */
    JsonNode end() throws Exception {
        return ask("end", "END ");
    }

    private JsonNode ask(String command, String prefix) throws Exception {
        commands.write(command + "\n");
        commands.flush();
        String answer = answers.poll(90, TimeUnit.SECONDS);
        if (answer == null || !answer.startsWith(prefix)) {
            throw new AssertionError("the load driver answered " + answer + " to " + command);
        }
        return JSON.readTree(answer.substring(prefix.length()));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
