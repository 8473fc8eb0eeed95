package io.portcullis.bpf.lb;

import java.net.Inet4Address;
import java.util.Comparator;
import java.util.Objects;

/** A service frontend: the virtual address, port and protocol clients connect to. */
public record LbFrontend(Inet4Address vip, int port, LbProtocol protocol) {
    /** By address (numerically), then port, then protocol: the order listings use. */
    public static final Comparator<LbFrontend> ORDER = Comparator
            .comparingLong((LbFrontend f) -> Addresses.unsigned(f.vip()))
            .thenComparingInt(LbFrontend::port)
            .thenComparing(LbFrontend::protocol);

    public LbFrontend {
        Objects.requireNonNull(vip, "vip");
        Objects.requireNonNull(protocol, "protocol");
        if (port < 1 || port > 0xFFFF) {
            throw new IllegalArgumentException("service port out of range 1..65535: " + port);
        }
    }

    /** {@code 10.96.0.10:80/tcp}. */
    @Override
    public String toString() {
        return vip.getHostAddress() + ":" + port + "/" + protocol.spelling();
    }
}
