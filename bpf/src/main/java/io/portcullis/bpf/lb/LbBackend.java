package io.portcullis.bpf.lb;

import java.net.Inet4Address;
import java.util.Comparator;
import java.util.Objects;

/** A backend of a service: the address and port a translated flow goes to. */
public record LbBackend(Inet4Address address, int port) {
    /** By address (numerically), then port. */
    public static final Comparator<LbBackend> ORDER = Comparator
            .comparingLong((LbBackend b) -> Addresses.unsigned(b.address()))
            .thenComparingInt(LbBackend::port);

    public LbBackend {
        Objects.requireNonNull(address, "address");
        if (port < 1 || port > 0xFFFF) {
            throw new IllegalArgumentException("backend port out of range 1..65535: " + port);
        }
    }

    /** {@code 10.200.0.5:8080}. */
    @Override
    public String toString() {
        return address.getHostAddress() + ":" + port;
    }
}
