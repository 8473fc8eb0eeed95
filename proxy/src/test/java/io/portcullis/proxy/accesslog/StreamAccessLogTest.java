package io.portcullis.proxy.accesslog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.resolve.Direction;
import io.portcullis.proxy.context.Endpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StreamAccessLogTest {
    private static AccessLogEntry entry(int code) {
        Endpoint ep = new Endpoint(Identity.WORLD, null, Identity.WORLD.labels(), InetAddress.getLoopbackAddress(), 1);
        return new AccessLogEntry(Instant.parse("2024-01-02T03:04:05.006Z"), AccessLogEntry.Type.RESPONSE,
                AccessLogEntry.Verdict.FORWARDED, Direction.EGRESS, "http", ep, ep,
                new AccessLogEntry.Http("GET", "/a?b", "h", "HTTP/1.1", code), "p", "r", 42);
    }

    @Test
    void fileSinkAppendsJsonLinesFlushedWithoutClose() throws Exception {
        Path file = Files.createTempFile("access", ".log");
        StreamAccessLog sink = StreamAccessLog.file(file);
        try {
            sink.log(entry(200));
            long deadline = System.currentTimeMillis() + 2000;
            while (Files.size(file) == 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            assertThat(Files.readAllLines(file)).hasSize(1);   // flushed within ~100 ms, no close needed
            sink.log(entry(404));
        } finally {
            sink.close();
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        JsonNode json = new ObjectMapper().readTree(lines.get(1));
        assertThat(json.get("time").asText()).isEqualTo("2024-01-02T03:04:05.006Z");
        assertThat(json.at("/http/code").asInt()).isEqualTo(404);
        assertThat(json.at("/source/labels").has("reserved:world")).isTrue();
        assertThat(json.get("latencyNs").asLong()).isEqualTo(42);
        assertThat(json.at("/source/endpoint").isNull()).isTrue();
    }

    @Test
    void fileLinesMatchTheRecordsJsonAlsoWhenEndpointsRepeat() throws Exception {
        Endpoint client = new Endpoint(Identity.WORLD, "frontend-\u00e9", Identity.WORLD.labels(),
                InetAddress.getByName("10.1.2.3"), 40000);
        Endpoint server = new Endpoint(Identity.WORLD, null, Identity.WORLD.labels(), InetAddress.getByName("::1"), 80);
        List<AccessLogEntry> entries = new ArrayList<>();
        for (int code : new int[]{200, 403, 502}) {
            entries.add(new AccessLogEntry(Instant.parse("2024-01-02T03:04:05.006Z").plusMillis(code),
                    AccessLogEntry.Type.RESPONSE, AccessLogEntry.Verdict.FORWARDED, Direction.INGRESS, "http", client,
                    server, new AccessLogEntry.Http("GET", "/x", "h", "HTTP/1.1", code), "p", "r \"q\"", code));
        }
        Path file = Files.createTempFile("access", ".log");
        StreamAccessLog sink = StreamAccessLog.file(file);
        try {
            entries.forEach(sink::log);
        } finally {
            sink.close();
        }
        assertThat(Files.readAllLines(file)).containsExactlyElementsOf(
                entries.stream().map(AccessLogEntry::toJson).toList());
    }

    @Test
    void aFailingSinkDoesNotStarveTheOthersOfATee() {
        List<AccessLogEntry> got = new ArrayList<>();
        AccessLog broken = e -> {
            throw new IllegalStateException("broken sink");
        };
        AccessLog tee = AccessLog.tee(AccessLog.DISCARD, broken, got::add);
        tee.log(entry(200));
        tee.log(entry(201));
        assertThat(got).extracting(e -> e.http().code()).containsExactly(200, 201);
    }
}
