package io.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** How the CLI writes API values as text. */
final class Text {
    private Text() {
    }

    /** {@code {"app":"web","x":""}} as {@code app=web,x}. */
    static String labels(JsonNode labels) {
        List<String> out = new ArrayList<>();
        labels.fields().forEachRemaining(e ->
                out.add(e.getValue().asText().isEmpty() ? e.getKey() : e.getKey() + "=" + e.getValue().asText()));
        return String.join(",", out);
    }

    /** A JSON array of strings as a list. */
    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
