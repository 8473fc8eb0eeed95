package io.portcullis.policy.model;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A port an endpoint declares by name ({@code http-8080=8080/tcp}), which {@code toPorts} may
 * name instead of its number, as a Kubernetes container port does.
 */
public record NamedPort(String name, int port, Protocol protocol) {
    /** IANA service names, as Kubernetes and Cilium accept them for named ports. */
    public static final Pattern NAME = Pattern.compile("(?=.*[a-z])(?!.*--)[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?");
    private static final Pattern DECLARATION = Pattern.compile("([^=]+)=([0-9]{1,5})(?:/([A-Za-z]+))?");

    public NamedPort {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(protocol, "protocol");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("port name '" + name + "' must be 1-15 of a-z, 0-9 and '-', with a"
                    + " letter, no '--', and no '-' at either end (such as http-8080)");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " of '" + name + "' is not in [1, 65535]");
        }
        if (protocol != Protocol.TCP && protocol != Protocol.UDP && protocol != Protocol.SCTP) {
            throw new IllegalArgumentException("port '" + name + "' must be TCP, UDP or SCTP, not " + protocol);
        }
    }

    /** Parses {@code name=port[/protocol]}; the protocol is TCP when left out, as in Kubernetes. */
    public static NamedPort parse(String text) {
        Matcher m = DECLARATION.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("port '" + text + "' must look like http-8080=8080/tcp");
        }
        Protocol protocol;
        try {
            protocol = m.group(3) == null ? Protocol.TCP : Protocol.valueOf(m.group(3).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("port '" + text + "': unknown protocol '" + m.group(3)
                    + "'; expected tcp, udp or sctp");
        }
        return new NamedPort(m.group(1).trim().toLowerCase(Locale.ROOT), Integer.parseInt(m.group(2)), protocol);
    }

    /** {@code http-8080=8080/tcp}. */
    @Override
    public String toString() {
        return name + "=" + port + "/" + protocol.name().toLowerCase(Locale.ROOT);
    }
}
