package io.portcullis.policy.load;

import io.portcullis.config.yaml.ConfigException;
import io.portcullis.config.yaml.YamlList;
import io.portcullis.config.yaml.YamlMap;
import io.portcullis.config.yaml.YamlNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The errors and warnings of one file, and the way its parsers find as many as they can: each
 * field is parsed on its own ({@link #attempt}, {@link #each}), and a broken field only discards
 * what contains it. A part that failed after recording its errors throws {@link Collected}.
 * Shared by the parsers of one file; not thread-safe.
 */
final class Findings {
    private final List<ConfigException> errors = new ArrayList<>();
    private final List<ConfigException> warnings = new ArrayList<>();

    List<ConfigException> errors() {
        return errors;
    }

    List<ConfigException> warnings() {
        return warnings;
    }

    int errorCount() {
        return errors.size();
    }

    void error(ConfigException error) {
        errors.add(error);
    }

    void error(YamlNode node, String problem) {
        errors.add(ConfigException.at(node, problem));
    }

    /** Something accepted that does not do what the file may expect; the file still loads. */
    void warn(YamlNode node, String problem) {
        warnings.add(ConfigException.at(node, problem));
    }

    /** Throws {@link Collected} when errors were recorded since {@code before}. */
    void failIfMore(int before) {
        if (errors.size() > before) {
            throw Collected.INSTANCE;
        }
    }

    /**
     * Records an error for every key neither {@code allowed} nor {@code unsupported}, and for
     * every unsupported one (a Cilium field this node cannot honour) with its own message.
     */
    void checkKeys(YamlMap map, Set<String> allowed, Set<String> unsupported) {
        for (String key : map.keys()) {
            if (unsupported.contains(key)) {
                errors.add(new ConfigException(map.keyLocation(key), child(map, key), unsupportedMessage(key)));
            }
        }
        Set<String> known = new TreeSet<>(allowed);
        known.addAll(unsupported);
        for (ConfigException unknown : map.unknownKeys(known)) {
            errors.add(new ConfigException(unknown.location(), unknown.field(),
                    "unknown field; expected one of " + new TreeSet<>(allowed)));
        }
    }

    private static String unsupportedMessage(String key) {
        switch (key) {
            case "nodeSelector":
                return "is not supported: Portcullis enforces policy on endpoints only; use endpointSelector";
            case "secret":
                return "is not supported: header values from secrets are not available; write the value";
            case "authentication":
                return "is not supported: mutual authentication needs an identity provider this node does not have";
            case "terminatingTLS":
            case "originatingTLS":
            case "serverNames":
                return "is not supported: Portcullis does not terminate TLS, so it cannot see server names or"
                        + " requests inside it";
            case "listener":
                return "is not supported: Envoy listeners do not exist here; L7 rules run in Portcullis' own proxy";
            default:
                return "is not supported by Portcullis";
        }
    }

    /** Parses every item of the list under {@code key}; a failed item is recorded and left out. */
    <T> List<T> each(YamlMap map, String key, Function<YamlNode, T> parse) {
        List<T> parsed = new ArrayList<>();
        YamlList list = map.has(key) ? attempt(() -> map.require(key).asList()) : null;
        if (list != null) {
            for (YamlNode item : list.items()) {
                T value = attempt(() -> parse.apply(item));
                if (value != null) {
                    parsed.add(value);
                }
            }
        }
        return parsed;
    }

    /** The parsed value, or null when it failed (its errors recorded). */
    <T> T attempt(Supplier<T> parse) {
        try {
            return parse.get();
        } catch (Collected alreadyRecorded) {
            return null;
        } catch (ConfigException e) {
            errors.add(e);
            return null;
        }
    }

    /** How many items the list under {@code key} has; 0 when absent or not a list. */
    static int listSize(YamlMap map, String key) {
        return map.get(key).filter(YamlList.class::isInstance).map(n -> ((YamlList) n).size()).orElse(0);
    }

    static String child(YamlMap map, String key) {
        return map.path().isEmpty() ? key : map.path() + "." + key;
    }

    /** The path as shown in decisions: {@code ingress[0]} for {@code spec.ingress[0]}. */
    static String displayPath(YamlNode node) {
        return node.path().startsWith("spec.") ? node.path().substring("spec.".length()) : node.path();
    }

    /** Signals that a part failed and its errors are already recorded; carries no message. */
    static final class Collected extends RuntimeException {
        static final Collected INSTANCE = new Collected();

        private Collected() {
            super(null, null, false, false);
        }
    }
}
