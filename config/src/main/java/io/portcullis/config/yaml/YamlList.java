package io.portcullis.config.yaml;

import java.util.List;

/** A YAML sequence; its items carry paths such as {@code ingress[2]}. */
public record YamlList(Location location, String path, List<YamlNode> items) implements YamlNode {
    public YamlList {
        items = List.copyOf(items);
    }

    public int size() {
        return items.size();
    }

    public YamlNode get(int index) {
        return items.get(index);
    }
}
