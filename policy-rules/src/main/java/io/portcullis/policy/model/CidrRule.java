package io.portcullis.policy.model;

import io.portcullis.policy.net.Ipv4Cidr;
import java.util.List;
import java.util.Objects;

/** A {@code fromCIDR}/{@code toCIDR} prefix, or a {@code fromCIDRSet}/{@code toCIDRSet} item. */
public record CidrRule(Ipv4Cidr cidr, List<Ipv4Cidr> except) {
    public CidrRule {
        Objects.requireNonNull(cidr, "cidr");
        except = List.copyOf(except);
    }

    /** Whether a CIDR identity's prefix lies inside {@code cidr} and outside every {@code except}. */
    public boolean selects(Ipv4Cidr prefix) {
        if (!cidr.contains(prefix)) {
            return false;
        }
        for (Ipv4Cidr excluded : except) {
            if (excluded.contains(prefix)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return except.isEmpty() ? cidr.toString() : cidr + " except " + except;
    }
}
