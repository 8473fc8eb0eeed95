package io.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Follows the agent's access log live: one line per decision, as text or as the raw JSON records. */
@Command(name = "monitor", mixinStandardHelpOptions = true, description = "Follow L7 decisions as they happen.")
final class MonitorCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Mixin
    ApiOptions api;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        api.client().follow("/v1/monitor", line -> {
            out.println(api.json() ? line : text(line));
            out.flush();
        });
        return ExitCodes.OK;
    }

    /** {@code time verdict type source -> destination protocol details}. */
    private static String text(String line) {
        try {
            JsonNode r = JSON.readTree(line);
            if (r.has("lost")) {
                return "... " + r.path("lost").asLong() + " records lost (monitor too slow)";
            }
            JsonNode http = r.path("http");
            String detail = http.isObject() ? http.path("method").asText() + " " + http.path("url").asText()
                    + (http.has("code") ? " " + http.path("code").asInt() : "") : "";
            return String.format("%s %-9s %-8s %s -> %s %s %s", r.path("time").asText(), r.path("verdict").asText(),
                    r.path("type").asText(), peer(r.path("source")), peer(r.path("destination")),
                    r.path("l7Protocol").asText(), detail);
        } catch (Exception e) {
            return line;
        }
    }

    private static String peer(JsonNode p) {
        String name = p.path("endpoint").isTextual() ? p.path("endpoint").asText() : "identity " + p.path("identity").asInt();
        return name + "(" + p.path("ip").asText() + ":" + p.path("port").asInt() + ")";
    }
}
