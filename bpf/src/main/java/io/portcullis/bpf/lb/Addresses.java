package io.portcullis.bpf.lb;

import java.net.Inet4Address;

/** IPv4 addresses as numbers, for ordering and hashing. */
final class Addresses {
    private Addresses() {
    }

    /** The address as an unsigned number (first octet most significant). */
    static long unsigned(Inet4Address address) {
        byte[] raw = address.getAddress();
        return (raw[0] & 0xFFL) << 24 | (raw[1] & 0xFFL) << 16 | (raw[2] & 0xFFL) << 8 | raw[3] & 0xFFL;
    }
}
