package io.portcullis.config.yaml;

/** Where a YAML node starts: the source name (a file path or "-"), 1-based line and column. */
public record Location(String source, int line, int column) {
    @Override
    public String toString() {
        return source + ":" + line + ":" + column;
    }
}
