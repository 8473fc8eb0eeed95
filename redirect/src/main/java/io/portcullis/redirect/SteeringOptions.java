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
 */
public record SteeringOptions(Inet4Address proxyAddress, int proxyPort, boolean denyAtConnect,
                              boolean socketRedirect) {
    public SteeringOptions {
        Objects.requireNonNull(proxyAddress, "proxyAddress");
        if (proxyPort < 1 || proxyPort > 65535) {
            throw new IllegalArgumentException("proxy port " + proxyPort + " is out of range [1, 65535]");
        }
    }
}
