package io.portcullis.cli;

import io.portcullis.agent.observe.FlowFilter;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Flows as Hubble shows them: the proxy's L7 decisions and the kernel's L3/L4 drops and verdicts
 * in one stream, filtered by the agent. {@code monitor} is its old name: without {@code --last} or
 * {@code --since} it follows new flows only, as monitor did.
 */
@Command(name = "observe", aliases = "monitor", mixinStandardHelpOptions = true,
        description = "Show L7 decisions and kernel L3/L4 drops and verdicts, filtered; follow them live.")
final class ObserveCommand implements Callable<Integer> {
    static final List<String> FORMATS = List.of("json", "compact", "table");

    @Spec
    CommandSpec spec;

    @Mixin
    AgentSocket agent;

    @Option(names = "--verdict", paramLabel = "VERDICT",
            description = "forwarded, audit, denied (L7), dropped (kernel) or error; repeat for any of several")
    List<String> verdicts = new ArrayList<>();

    @Option(names = "--from-label", paramLabel = "KEY[=VALUE]", description = "the source has this label (app=web)")
    List<String> fromLabels = new ArrayList<>();

    @Option(names = "--to-label", paramLabel = "KEY[=VALUE]", description = "the destination has this label")
    List<String> toLabels = new ArrayList<>();

    @Option(names = "--from-identity", paramLabel = "ID", description = "the source's numeric identity")
    List<String> fromIdentities = new ArrayList<>();

    @Option(names = "--to-identity", paramLabel = "ID", description = "the destination's numeric identity")
    List<String> toIdentities = new ArrayList<>();

    @Option(names = "--protocol", paramLabel = "PROTOCOL", description = "http, grpc, kafka, tcp or udp")
    List<String> protocols = new ArrayList<>();

    @Option(names = "--http-status", paramLabel = "CODE", description = "an HTTP status (403) or class (5+)")
    List<String> httpStatuses = new ArrayList<>();

    @Option(names = "--port", paramLabel = "PORT", description = "the source or destination port")
    List<String> ports = new ArrayList<>();

    @Option(names = "--last", paramLabel = "N", description = "the last N matching flows the agent kept")
    Integer last;

    @Option(names = "--since", paramLabel = "WHEN",
            description = "flows since an RFC 3339 time (2026-12-05T17:00:00Z) or a while ago (30s, 5m, 2h)")
    String since;

    @Option(names = {"-f", "--follow"}, description = "keep showing new flows as they happen")
    boolean follow;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "compact",
            description = "json, compact or table (default: ${DEFAULT-VALUE})")
    String output;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws Exception {
        String path = path();
        FlowFormat format = new FlowFormat(output);
        PrintWriter out = spec.commandLine().getOut();
        format.header().ifPresent(out::println);
        agent.client().follow(path, line -> {
            out.println(format.line(line));
            out.flush();
        });
        return ExitCodes.OK;
    }

    /** The agent's path and query for these options; bad values fail with the valid ones. */
    String path() {
        if (!FORMATS.contains(output)) {
            throw bad("unknown output format '" + output + "'; valid values: " + String.join(", ", FORMATS));
        }
        Map<String, List<String>> query = new LinkedHashMap<>();
        query.put("verdict", verdicts);
        query.put("from-label", fromLabels);
        query.put("to-label", toLabels);
        query.put("from-identity", fromIdentities);
        query.put("to-identity", toIdentities);
        query.put("protocol", protocols);
        query.put("http-status", httpStatuses);
        query.put("port", ports);
        try {
            FlowFilter.of(query);
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
        if (last != null && last < 1) {
            throw bad("--last " + last + ": expected a positive number of flows");
        }
        if (since != null) {
            query.put("since", List.of(sinceInstant().toString()));
        }
        boolean liveOnly = last == null && since == null;
        if (last != null || liveOnly) {
            query.put("last", List.of(liveOnly ? "0" : Integer.toString(last)));
        }
        if (follow || liveOnly) {
            query.put("follow", List.of("true"));
        }
        StringBuilder path = new StringBuilder("/v1/observe");
        char separator = '?';
        for (Map.Entry<String, List<String>> entry : query.entrySet()) {
            for (String value : entry.getValue()) {
                path.append(separator).append(entry.getKey()).append('=')
                        .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
                separator = '&';
            }
        }
        return path.toString();
    }

    private Instant sinceInstant() {
        try {
            return Instant.parse(since);
        } catch (DateTimeParseException e) {
            if (since.matches("\\d+[smh]")) {
                return clock.instant().minus(Duration.parse("PT" + since.toUpperCase()));
            }
            throw bad("--since '" + since + "': expected an RFC 3339 time (2026-12-05T17:00:00Z) or a while ago "
                    + "(30s, 5m, 2h)");
        }
    }

    private ParameterException bad(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
