package io.portcullis.agent.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * The options {@code endpoint config NAME KEY=VALUE...} changes, read strictly: an unknown key or
 * value is refused with the valid ones, never guessed at, so a typo can never leave an endpoint
 * enforcing (or auditing) other than asked.
 */
public final class EndpointOptions {
    /** Cilium's per-endpoint {@code PolicyAuditMode}. */
    public static final String AUDIT = "audit";

    private EndpointOptions() {
    }

    /**
     * The audit mode {@code options} ask for: {@code {"audit": "on"}} or {@code "off"}.
     *
     * @throws IllegalArgumentException for anything else, naming what is valid
     */
    public static boolean audit(JsonNode options) {
        if (!options.isObject() || options.size() == 0) {
            throw new IllegalArgumentException("give the options to change as KEY=VALUE; valid: audit=on|off");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = options.fields(); it.hasNext(); ) {
            String key = it.next().getKey();
            if (!key.equals(AUDIT)) {
                throw new IllegalArgumentException("unknown endpoint option '" + key + "'; valid: audit=on|off");
            }
        }
        JsonNode value = options.get(AUDIT);
        String text = value.isTextual() ? value.asText() : value.toString();
        return switch (text) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("audit must be on or off, found '" + text + "'");
        };
    }

    /** How {@link #audit} spells a mode. */
    public static String auditText(boolean on) {
        return on ? "on" : "off";
    }
}
