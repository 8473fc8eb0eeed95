package io.portcullis.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Addresses the endpoint pool reserves: its first usable address is the host's (and the proxy's). */
public final class EndpointPool {
    private EndpointPool() {
    }

    /** The host's address in {@code pool} ({@code a.b.c.d/n}, host bits clear): the network address + 1. */
    public static Inet4Address hostAddress(String pool) {
        int slash = pool.indexOf('/');
        try {
            byte[] network = InetAddress.getByName(pool.substring(0, slash)).getAddress(); // a literal: no lookup
            int address = ((network[0] & 0xff) << 24 | (network[1] & 0xff) << 16 | (network[2] & 0xff) << 8
                    | (network[3] & 0xff)) + 1;
            return (Inet4Address) InetAddress.getByAddress(new byte[] {(byte) (address >>> 24), (byte) (address >>> 16),
                    (byte) (address >>> 8), (byte) address});
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("endpoint pool " + pool + " is not an IPv4 prefix", e);
        }
    }
}
