package io.portcullis.config.yaml;

import java.util.Objects;

/**
 * Invalid configuration or policy input. The message always names the source, the line and the
 * field so that an operator can go straight to the mistake.
 */
public final class ConfigException extends RuntimeException {
    private final Location location;
    private final String field;
    private final String problem;

    public ConfigException(Location location, String field, String problem) {
        super(location + ": " + (field.isEmpty() ? "" : "field '" + field + "': ") + problem);
        this.location = Objects.requireNonNull(location, "location");
        this.field = Objects.requireNonNull(field, "field");
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    public static ConfigException at(YamlNode node, String problem) {
        return new ConfigException(node.location(), node.path(), problem);
    }

    public Location location() {
        return location;
    }

    public String field() {
        return field;
    }

    public String problem() {
        return problem;
    }
}
