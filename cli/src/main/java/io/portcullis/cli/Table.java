package io.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints an API listing (an array of flat JSON objects with the same fields) as aligned columns,
 * headed by the field names in upper case; nulls print as {@code -}.
 */
final class Table {
    private Table() {
    }

    static void print(PrintWriter out, JsonNode rows, String whenEmpty) {
        if (rows.isEmpty()) {
            out.println(whenEmpty);
            return;
        }
        List<String> columns = new ArrayList<>();
        rows.get(0).fieldNames().forEachRemaining(columns::add);
        List<List<String>> cells = new ArrayList<>();
        List<String> header = new ArrayList<>();
        columns.forEach(c -> header.add(c.toUpperCase(Locale.ROOT)));
        cells.add(header);
        for (JsonNode row : rows) {
            List<String> line = new ArrayList<>();
            for (String column : columns) {
                JsonNode value = row.path(column);
                line.add(value.isNull() || value.isMissingNode() ? "-" : value.asText());
            }
            cells.add(line);
        }
        int[] widths = new int[columns.size()];
        for (List<String> line : cells) {
            for (int i = 0; i < line.size(); i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        for (List<String> line : cells) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < line.size(); i++) {
                text.append(i == line.size() - 1 ? line.get(i) : String.format("%-" + widths[i] + "s  ", line.get(i)));
            }
            out.println(text.toString().stripTrailing());
        }
    }
}
