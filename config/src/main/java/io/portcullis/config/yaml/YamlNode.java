package io.portcullis.config.yaml;

/**
 * A node of a YAML document that remembers where it was written and the dotted path that leads
 * to it ({@code spec.ingress[0].toPorts}), so every validation error can point at the input.
 */
public sealed interface YamlNode permits YamlMap, YamlList, YamlScalar {
    Location location();

    /** Dotted path from the document root; empty for the root itself. */
    String path();

    default String kind() {
        if (this instanceof YamlMap) {
            return "a mapping";
        }
        if (this instanceof YamlList) {
            return "a list";
        }
        return ((YamlScalar) this).isNull() ? "null" : "a scalar";
    }

    default YamlMap asMap() {
        if (this instanceof YamlMap m) {
            return m;
        }
        throw ConfigException.at(this, "expected a mapping, found " + kind());
    }

    default YamlList asList() {
        if (this instanceof YamlList l) {
            return l;
        }
        throw ConfigException.at(this, "expected a list, found " + kind());
    }

    default YamlScalar asScalar() {
        if (this instanceof YamlScalar s && !s.isNull()) {
            return s;
        }
        throw ConfigException.at(this, "expected a value, found " + kind());
    }

    default String asString() {
        return asScalar().text();
    }
}
