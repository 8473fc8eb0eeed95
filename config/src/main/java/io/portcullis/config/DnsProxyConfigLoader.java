package io.portcullis.config;

import io.portcullis.config.yaml.ConfigException;
import io.portcullis.config.yaml.YamlMap;
import io.portcullis.config.yaml.YamlNode;
import java.time.Duration;
import java.util.Set;

/** The {@code dnsProxy:} section of the agent's config (see {@link DnsProxyConfig}). */
final class DnsProxyConfigLoader {
    private static final Set<String> KEYS = Set.of("port", "minTtl", "maxIpsPerName", "maxNames", "grace",
            "upstreamTimeout");

    private DnsProxyConfigLoader() {
    }

    /** @param proxyPort the L7 proxy's port, which the DNS proxy must not share */
    static DnsProxyConfig load(YamlNode node, int proxyPort) {
        YamlMap map = node.asMap().allowOnly(KEYS);
        DnsProxyConfig d = DnsProxyConfig.DEFAULTS;
        int port = map.get("port").map(n -> n.asScalar().asInt(1, 65535)).orElse(d.port());
        if (port == proxyPort) {
            throw ConfigException.at(map.require("port"), "the DNS proxy needs a port of its own; " + port
                    + " is bpf.proxyPort");
        }
        return new DnsProxyConfig(port,
                map.get("minTtl").map(ConfigValues::duration).orElse(d.minTtl()),
                map.get("maxIpsPerName").map(n -> n.asScalar().asInt(1, 10_000)).orElse(d.maxIpsPerName()),
                map.get("maxNames").map(n -> n.asScalar().asInt(1, 1_000_000)).orElse(d.maxNames()),
                map.get("grace").map(DnsProxyConfigLoader::durationOrZero).orElse(d.grace()),
                map.get("upstreamTimeout").map(ConfigValues::duration).orElse(d.upstreamTimeout()));
    }

    /** A grace period may be zero: expired addresses then go at once. */
    private static Duration durationOrZero(YamlNode node) {
        return node.asString().trim().matches("0(ms|s|m|h)?") ? Duration.ZERO : ConfigValues.duration(node);
    }
}
