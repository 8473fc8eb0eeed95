package io.portcullis.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.agent.proxy.AccessLogStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The DNS proxy's access-log records ({@code "type": "dns"}): one JSON line each, appended to the
 * access log the proxy writes (one write per line, in append mode, so lines of the two writers
 * never interleave), printed on stdout when the log is {@code stdout}, and sent to the live stream.
 */
final class DnsAccessLog implements Consumer<Map<String, Object>> {
    private static final System.Logger LOG = System.getLogger(DnsAccessLog.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String target;
    private final AccessLogStream stream;

    /** @param target {@code stdout}, {@code off}, or the access log's path */
    DnsAccessLog(String target, AccessLogStream stream) {
        this.target = target;
        this.stream = stream;
    }

    @Override
    public void accept(Map<String, Object> record) {
        String line;
        try {
            line = JSON.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            LOG.log(System.Logger.Level.WARNING, "DNS access-log record not written: " + e.getMessage());
            return;
        }
        stream.publish(line);
        if (target.equals("off")) {
            return;
        }
        if (target.equals("stdout")) {
            System.out.println(line);
            return;
        }
        try {
            Files.write(Path.of(target), (line + "\n").getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "DNS access-log record not written to " + target + ": "
                    + e.getMessage());
        }
    }
}
