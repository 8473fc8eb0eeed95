package io.portcullis.config;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code dnsProxy:} settings of the agent's DNS proxy ({@code datapath: bpf}), as Cilium's
 * {@code tofqdns-*} options.
 *
 * @param port           the proxy's UDP and TCP port on the endpoint pool's host address; queries
 *                       under DNS rules are steered there
 * @param minTtl         the shortest time a learned address stays allowed, whatever the answer's TTL
 * @param maxIpsPerName  how many addresses one name keeps; the longest-expiring are kept
 * @param maxNames       how many names are learned in all; an answer for a new name past the cap is
 *                       released without learning (and counted), so a flood of names cannot exhaust
 *                       identities or memory
 * @param grace          how long an expired address stays allowed, so that connections opened while
 *                       it was valid keep working
 * @param upstreamTimeout how long the proxy waits for the resolver's answer
 */
public record DnsProxyConfig(int port, Duration minTtl, int maxIpsPerName, int maxNames, Duration grace,
                             Duration upstreamTimeout) {
    public static final DnsProxyConfig DEFAULTS = new DnsProxyConfig(15053, Duration.ofSeconds(60), 50, 10_000,
            Duration.ofSeconds(10), Duration.ofSeconds(5));

    public DnsProxyConfig {
        Objects.requireNonNull(minTtl, "minTtl");
        Objects.requireNonNull(grace, "grace");
        Objects.requireNonNull(upstreamTimeout, "upstreamTimeout");
    }
}
