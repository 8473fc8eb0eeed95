package io.portcullis.tests.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Reads the agent's access-log file back, waiting for records that the proxy writes asynchronously. */
public final class AccessLogFile {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    public AccessLogFile(Path file) {
        this.file = file;
    }

    public List<JsonNode> records() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            // The proxy may be writing a record right now: only whole lines are records yet.
            int end = bytes.length;
            while (end > 0 && bytes[end - 1] != '\n') {
                end--;
            }
            String complete = new String(bytes, 0, end, StandardCharsets.UTF_8);
            List<JsonNode> records = new ArrayList<>();
            for (String line : complete.split("\n")) {
                if (!line.isBlank()) {
                    records.add(JSON.readTree(line));
                }
            }
            return records;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first record matching {@code filter}, waiting up to five seconds for it to be flushed. */
    public JsonNode await(Predicate<JsonNode> filter) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (JsonNode record : records()) {
                if (filter.test(record)) {
                    return record;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no access-log record matched within 5 s; records: " + records());
    }

    public static Predicate<JsonNode> request(String type, String url) {
        return r -> type.equals(r.path("type").asText()) && url.equals(r.path("http").path("url").asText());
    }
}
