package io.portcullis.config;

import io.portcullis.config.yaml.ConfigException;
import io.portcullis.config.yaml.YamlNode;
import java.time.Duration;

/** Durations in the agent's config, located on error. */
final class Durations {
    private Durations() {
    }

    /** {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}; a bare number is seconds. */
    static Duration parse(YamlNode node) {
        String text = node.asString().trim();
        int split = 0;
        while (split < text.length() && Character.isDigit(text.charAt(split))) {
            split++;
        }
        String unit = text.substring(split);
        long amount;
        try {
            amount = Long.parseLong(text.substring(0, split));
        } catch (NumberFormatException e) {
            throw ConfigException.at(node, "expected a duration such as 500ms, 10s or 5m, found '" + text + "'");
        }
        Duration value = switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "", "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> throw ConfigException.at(node, "unknown duration unit '" + unit + "'; use ms, s, m or h");
        };
        if (value.isZero()) {
            throw ConfigException.at(node, "must be greater than zero");
        }
        return value;
    }
}
