package io.portcullis.agent.observe;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The filters of {@code portcullis observe} and {@code /v1/observe}, by their query names: values of
 * one filter are alternatives, different filters must all match. Counts of lost flows pass every
 * filter: a reader is always told what it missed. Unknown filters and values fail with the valid
 * ones listed.
 */
public final class FlowFilter implements Predicate<FlowRecord> {
    public static final List<String> VERDICTS = List.of("forwarded", "audit", "denied", "dropped", "error");
    public static final List<String> PROTOCOLS = List.of("http", "grpc", "kafka", "tcp", "udp");
    public static final List<String> NAMES = List.of("verdict", "from-label", "to-label", "from-identity",
            "to-identity", "protocol", "http-status", "port");

    private final List<Predicate<JsonNode>> all;

    private FlowFilter(List<Predicate<JsonNode>> all) {
        this.all = all;
    }

    /**
     * The filter of these values by filter name (other names are left to the caller).
     *
     * @throws IllegalArgumentException naming the filter, the bad value and the valid ones
     */
    public static FlowFilter of(Map<String, List<String>> values) {
        List<Predicate<JsonNode>> all = new ArrayList<>();
        for (Map.Entry<String, List<String>> entry : values.entrySet()) {
            if (!NAMES.contains(entry.getKey()) || entry.getValue().isEmpty()) {
                continue;
            }
            Predicate<JsonNode> any = record -> false;
            for (String value : entry.getValue()) {
                any = any.or(one(entry.getKey(), value));
            }
            all.add(any);
        }
        return new FlowFilter(List.copyOf(all));
    }

    @Override
    public boolean test(FlowRecord record) {
        if (all.isEmpty() || record.isLost()) {
            return true;
        }
        JsonNode tree = record.tree();
        return all.stream().allMatch(filter -> filter.test(tree));
    }

    private static Predicate<JsonNode> one(String name, String value) {
        return switch (name) {
            case "verdict" -> {
                String verdict = oneOf(name, value, VERDICTS);
                yield r -> r.path("verdict").asText().equals(verdict);
            }
            case "protocol" -> protocol(oneOf(name, value, PROTOCOLS));
            case "from-label" -> label("source", name, value);
            case "to-label" -> label("destination", name, value);
            case "from-identity" -> identity("source", name, value);
            case "to-identity" -> identity("destination", name, value);
            case "http-status" -> httpStatus(value);
            case "port" -> {
                int port = number(name, value, 1, 65535, "a port 1..65535");
                yield r -> r.path("source").path("port").asInt(-1) == port
                        || r.path("destination").path("port").asInt(-1) == port;
            }
            default -> throw new IllegalArgumentException("unknown filter '" + name + "'; valid filters: "
                    + String.join(", ", NAMES));
        };
    }

    private static String oneOf(String name, String value, List<String> valid) {
        String lower = value.toLowerCase(Locale.ROOT);
        if (!valid.contains(lower)) {
            throw new IllegalArgumentException("unknown " + name + " '" + value + "'; valid values: "
                    + String.join(", ", valid));
        }
        return lower;
    }

    /** L7 records are TCP: {@code tcp} matches them as well as the kernel's TCP flows. */
    private static Predicate<JsonNode> protocol(String protocol) {
        return switch (protocol) {
            case "tcp" -> r -> r.path("l4Protocol").asText().equals("tcp") || r.path("l7Protocol").isTextual();
            case "udp" -> r -> r.path("l4Protocol").asText().equals("udp");
            default -> r -> r.path("l7Protocol").asText().equals(protocol);
        };
    }

    /**
     * {@code key=value} or {@code key}; a key without a source ({@code app}) matches it from any
     * source ({@code k8s:app}).
     */
    private static Predicate<JsonNode> label(String side, String name, String value) {
        int equals = value.indexOf('=');
        String key = equals < 0 ? value : value.substring(0, equals);
        String wanted = equals < 0 ? null : value.substring(equals + 1);
        if (key.isEmpty()) {
            throw new IllegalArgumentException(name + " '" + value + "': expected KEY=VALUE or KEY, e.g. app=web");
        }
        return r -> {
            JsonNode labels = r.path(side).path("labels");
            for (var fields = labels.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> label = fields.next();
                String labelKey = label.getKey();
                boolean keyMatches = labelKey.equals(key)
                        || key.indexOf(':') < 0 && labelKey.endsWith(":" + key);
                if (keyMatches && (wanted == null || label.getValue().asText().equals(wanted))) {
                    return true;
                }
            }
            return false;
        };
    }

    private static Predicate<JsonNode> identity(String side, String name, String value) {
        int identity = number(name, value, 0, Integer.MAX_VALUE, "a numeric identity");
        return r -> r.path(side).path("identity").asInt(-1) == identity;
    }

    /** {@code 403} exactly, or a class such as {@code 5+} (every 5xx). */
    private static Predicate<JsonNode> httpStatus(String value) {
        if (value.matches("[1-5]\\+")) {
            int hundreds = value.charAt(0) - '0';
            return r -> r.path("http").path("code").asInt() / 100 == hundreds;
        }
        int code = number("http-status", value, 100, 599, "a status 100..599 or a class 1+..5+");
        return r -> r.path("http").path("code").asInt() == code;
    }

    private static int number(String name, String value, int min, int max, String expected) {
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with what was expected
        }
        throw new IllegalArgumentException(name + " '" + value + "': expected " + expected);
    }
}
