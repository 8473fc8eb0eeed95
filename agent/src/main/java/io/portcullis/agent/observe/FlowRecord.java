package io.portcullis.agent.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * One record of the flow stream: its JSON line as written (an access-log record, a kernel flow, or
 * a count of lost flows), parsed only when a filter or a time bound needs its fields, so records
 * nobody looks at cost nothing but their place in the history.
 */
public final class FlowRecord {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String json;
    private volatile JsonNode tree;

    public FlowRecord(String json) {
        this.json = json;
    }

    /** The record as one JSON object, without a line terminator. */
    public String json() {
        return json;
    }

    /** The parsed record; a line that is not JSON reads as an empty object. */
    public JsonNode tree() {
        JsonNode parsed = tree;
        if (parsed == null) {
            try {
                parsed = JSON.readTree(json);
            } catch (Exception e) {
                parsed = JSON.createObjectNode();
            }
            tree = parsed;
        }
        return parsed;
    }

    /** The record's {@code time}, or null when it has none (a watcher's lost count). */
    public Instant time() {
        JsonNode time = tree().path("time");
        if (!time.isTextual()) {
            return null;
        }
        try {
            return Instant.parse(time.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Whether this is a count of flows lost on the way rather than a flow. */
    public boolean isLost() {
        return tree().has("lost");
    }

    @Override
    public String toString() {
        return json;
    }
}
