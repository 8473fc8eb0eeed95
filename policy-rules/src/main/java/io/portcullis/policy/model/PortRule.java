package io.portcullis.policy.model;

import io.portcullis.policy.resolve.Protocol;
import java.util.List;
import java.util.Objects;

/**
 * One {@code toPorts} item: the ports (all when empty) and the L7 rules that judge requests on
 * them ({@link L7Rules#NONE} for a plain L3/L4 rule).
 *
 * @param path where it was written, e.g. {@code ingress[0].toPorts[1]}
 */
public record PortRule(String path, List<PortRange> ports, L7Rules rules) {
    public PortRule {
        Objects.requireNonNull(path, "path");
        ports = List.copyOf(ports);
        Objects.requireNonNull(rules, "rules");
    }

    public boolean covers(int port, Protocol protocol) {
        if (ports.isEmpty()) {
            return true;
        }
        for (PortRange range : ports) {
            if (range.covers(port, protocol)) {
                return true;
            }
        }
        return false;
    }
}
