package io.portcullis.config;

import io.portcullis.config.yaml.ConfigException;
import io.portcullis.config.yaml.YamlMap;
import io.portcullis.config.yaml.YamlNode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Function;

/** The scalar values of the config files (durations, addresses, prefixes, bounded numbers), each checked in one place. */
final class ConfigValues {
    private ConfigValues() {
    }

    /** A scalar through a parser whose IllegalArgumentException says what is wrong. */
    static <T> T parsed(YamlNode node, Function<String, T> parser) {
        try {
            return parser.apply(node.asString());
        } catch (IllegalArgumentException e) {
            throw ConfigException.at(node, e.getMessage());
        }
    }

    /**
     * Whether {@code address} lies in {@code prefix}, an IPv4 prefix already checked by {@link #ipv4Prefix}.
     * Its own code because config cannot use policy-rules' {@code Ipv4Cidr} (policy-rules depends on config).
     */
    static boolean inPrefix(InetAddress address, String prefix) {
        int slash = prefix.indexOf('/');
        int length = Integer.parseInt(prefix.substring(slash + 1));
        // Java shifts an int by the count mod 32: -1 << 32 is -1, so /0 needs its own (empty) mask.
        int mask = length == 0 ? 0 : -1 << (32 - length);
        int network = 0;
        for (String octet : prefix.substring(0, slash).split("\\.")) {
            network = network << 8 | Integer.parseInt(octet);
        }
        byte[] b = address.getAddress();
        int value = (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
        return (value & mask) == (network & mask);
    }

    /** A Linux interface name: 1-15 characters, no '/', whitespace or ':'. */
    static String interfaceName(YamlNode node) {
        String name = node.asString();
        if (!name.matches("[A-Za-z0-9_.@-]{1,15}")) {
            throw ConfigException.at(node, "expected a network interface name (1-15 characters), found '" + name + "'");
        }
        return name;
    }

    static int intIn(YamlMap map, String key, int min, int max, int fallback) {
        return map.get(key).map(n -> n.asScalar().asInt(min, max)).orElse(fallback);
    }

    /** Netty counts resets per whole seconds; a window of 1500ms would silently mean 1s. */
    static Duration wholeSeconds(YamlNode node) {
        Duration value = duration(node);
        if (value.toMillis() % 1000 != 0 || value.toSeconds() > 3600) {
            throw ConfigException.at(node, "must be a whole number of seconds between 1s and 1h, found '"
                    + node.asString() + "'");
        }
        return value;
    }

    /** {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}; a bare number is seconds. */
    static Duration duration(YamlNode node) {
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

    static InetSocketAddress hostPort(YamlNode node) {
        String text = node.asString();
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw ConfigException.at(node, "expected ip:port, found '" + text + "'");
        }
        InetAddress ip = ipv4(node, text.substring(0, colon));
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw ConfigException.at(node, "expected ip:port, found '" + text + "'");
        }
        if (port < 1 || port > 65535) {
            throw ConfigException.at(node, "port " + port + " is out of range [1, 65535]");
        }
        return new InetSocketAddress(ip, port);
    }

    /** An IPv4 prefix between /8 and /28 without host bits, such as {@code 10.200.0.0/16}. */
    static String ipv4Prefix(YamlNode node) {
        String text = node.asString().trim();
        int slash = text.indexOf('/');
        if (slash < 0 || !text.substring(slash + 1).matches("[0-9]{1,2}")) {
            throw ConfigException.at(node, "expected an IPv4 prefix such as 10.200.0.0/16, found '" + text + "'");
        }
        byte[] address = ipv4(node, text.substring(0, slash)).getAddress();
        int length = Integer.parseInt(text.substring(slash + 1));
        if (length < 8 || length > 28) {
            throw ConfigException.at(node, "prefix length /" + length + " is out of range [8, 28]");
        }
        int value = (address[0] & 0xff) << 24 | (address[1] & 0xff) << 16 | (address[2] & 0xff) << 8 | (address[3] & 0xff);
        if ((value & ~(-1 << (32 - length))) != 0) {
            throw ConfigException.at(node, text + " has host bits set");
        }
        return text;
    }

    /** A literal IPv4 address; never a host name, so loading does no DNS. */
    static InetAddress ipv4(YamlNode node, String text) {
        try {
            return SocketAddressText.ipv4(text);
        } catch (IllegalArgumentException e) {
            throw ConfigException.at(node, e.getMessage());
        }
    }
}
