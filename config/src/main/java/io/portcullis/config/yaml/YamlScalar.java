package io.portcullis.config.yaml;

/**
 * A scalar as written ({@code 80} and {@code "80"} alike); a null scalar ({@code ~}, {@code null}
 * or nothing) has {@code text == null}.
 */
public record YamlScalar(Location location, String path, String text) implements YamlNode {

    public boolean isNull() {
        return text == null;
    }

    /** The value as an int within [min, max], or an error naming the field. */
    public int asInt(int min, int max) {
        long value;
        try {
            value = Long.parseLong(asString().trim());
        } catch (NumberFormatException e) {
            throw ConfigException.at(this, "expected an integer, found '" + text + "'");
        }
        if (value < min || value > max) {
            throw ConfigException.at(this, value + " is out of range [" + min + ", " + max + "]");
        }
        return (int) value;
    }

    public boolean asBoolean() {
        String t = asString();
        if (t.equals("true")) {
            return true;
        }
        if (t.equals("false")) {
            return false;
        }
        throw ConfigException.at(this, "expected true or false, found '" + t + "'");
    }
}
