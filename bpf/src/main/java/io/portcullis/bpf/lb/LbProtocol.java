package io.portcullis.bpf.lb;

import java.util.Locale;

/** The L4 protocol of a service frontend, with its IP protocol number. */
public enum LbProtocol {
    TCP(6),
    UDP(17);

    private final int number;

    LbProtocol(int number) {
        this.number = number;
    }

    /** The IP protocol number ({@code IPPROTO_*}). */
    public int number() {
        return number;
    }

    /** How frontends print: {@code tcp} or {@code udp}. */
    public String spelling() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static LbProtocol ofNumber(int number) {
        for (LbProtocol protocol : values()) {
            if (protocol.number == number) {
                return protocol;
            }
        }
        throw new IllegalArgumentException("IP protocol " + number + " is not a load-balanced protocol (tcp, udp)");
    }
}
