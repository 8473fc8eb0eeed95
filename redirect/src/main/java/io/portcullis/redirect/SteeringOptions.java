package io.portcullis.redirect;

import java.net.Inet4Address;
import java.util.Objects;

/**
 * How connections are steered.
 *
 * @param proxyAddress   the node address endpoints reach the proxy at (the pool's host address)
 * @param proxyPort      the proxy's transparent listener port, written into PROXY policy entries
 * @param denyAtConnect  refuse connects the policy denies with EPERM (else TC drops their packets)
 * @param socketRedirect pair local sockets and move bytes between them with sk_msg
 * @param dnsProxyPort   the agent's DNS proxy port (UDP and TCP), written into the PROXY entries of
 *                       DNS rules
 */
public record SteeringOptions(Inet4Address proxyAddress, int proxyPort, boolean denyAtConnect,
                              boolean socketRedirect, int dnsProxyPort) {
    public SteeringOptions {
        Objects.requireNonNull(proxyAddress, "proxyAddress");
        if (proxyPort < 1 || proxyPort > 65535) {
            throw new IllegalArgumentException("proxy port " + proxyPort + " is out of range [1, 65535]");
        }
        if (dnsProxyPort < 1 || dnsProxyPort > 65535 || dnsProxyPort == proxyPort) {
            throw new IllegalArgumentException("DNS proxy port " + dnsProxyPort + " is out of range [1, 65535] or"
                    + " the proxy's");
        }
    }
}
