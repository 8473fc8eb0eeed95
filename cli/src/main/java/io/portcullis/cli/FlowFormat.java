package io.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;

/**
 * How {@code observe} prints a flow record: {@code json} as the agent sent it, {@code compact} as
 * one line ({@code time verdict type source -> destination protocol details}), {@code table} in
 * aligned columns under a header.
 */
final class FlowFormat {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TABLE = "%-24s %-9s %-8s %-32s %-32s %-6s %s";

    private final String format;

    FlowFormat(String format) {
        this.format = format;
    }

    Optional<String> header() {
        return format.equals("table") ? Optional.of(String.format(TABLE, "TIME", "VERDICT", "TYPE", "SOURCE",
                "DESTINATION", "PROTO", "SUMMARY")) : Optional.empty();
    }

    String line(String line) {
        if (format.equals("json")) {
            return line;
        }
        JsonNode r;
        try {
            r = JSON.readTree(line);
        } catch (Exception e) {
            return line;
        }
        if (r.has("lost")) {
            return "... " + r.path("lost").asLong() + " flows lost ("
                    + (r.path("reason").isTextual() ? r.path("reason").asText() : "observer too slow") + ")";
        }
        String protocol = r.path("l7Protocol").isTextual() ? r.path("l7Protocol").asText()
                : r.path("l4Protocol").asText();
        String source = peer(r.path("source"));
        String destination = peer(r.path("destination"));
        if (format.equals("table")) {
            return String.format(TABLE, r.path("time").asText(), r.path("verdict").asText(), r.path("type").asText(),
                    source, destination, protocol, summary(r));
        }
        return String.format("%s %-9s %-8s %s -> %s %s %s", r.path("time").asText(), r.path("verdict").asText(),
                r.path("type").asText(), source, destination, protocol, summary(r)).stripTrailing();
    }

    /** What was asked (HTTP method and URL, gRPC method, Kafka API) and the answer, or the drop reason. */
    private static String summary(JsonNode r) {
        JsonNode http = r.path("http");
        StringBuilder summary = new StringBuilder();
        if (http.isObject()) {
            summary.append(http.path("method").asText()).append(' ').append(http.path("url").asText());
            if (http.has("code")) {
                summary.append(' ').append(http.path("code").asInt());
            }
        } else if (r.path("kafka").isObject()) {
            summary.append(r.path("kafka").path("apiKey").asText());
        }
        if (r.path("reason").isTextual() && !r.path("verdict").asText().equals("forwarded")) {
            summary.append(summary.isEmpty() ? "" : " ").append("(").append(r.path("reason").asText()).append(")");
        }
        return summary.toString();
    }

    private static String peer(JsonNode p) {
        String name = p.path("endpoint").isTextual() ? p.path("endpoint").asText()
                : "identity " + p.path("identity").asInt();
        return name + "(" + p.path("ip").asText() + ":" + p.path("port").asInt() + ")";
    }
}
