package io.portcullis.policy.model;

import java.util.List;
import java.util.Objects;

/**
 * One {@code toPorts} item, or the ICMP types of one {@code icmps} item: the ports (all when
 * empty) and the L7 rules that judge requests on them ({@link L7Rules#NONE} for a plain L3/L4 rule).
 *
 * @param path where it was written, e.g. {@code ingress[0].toPorts[1]} or {@code ingress[0].icmps[0]}
 */
public record PortRule(String path, List<PortRange> ports, L7Rules rules) {
    public PortRule {
        Objects.requireNonNull(path, "path");
        ports = List.copyOf(ports);
        Objects.requireNonNull(rules, "rules");
    }

    /** @param names the named side's ports, for named ranges */
    public boolean covers(int port, Protocol protocol, PortNames names) {
        if (ports.isEmpty()) {
            return Protocol.ANY.covers(protocol);
        }
        for (PortRange range : ports) {
            if (range.covers(port, protocol, names)) {
                return true;
            }
        }
        return false;
    }
}
