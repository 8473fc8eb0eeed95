package io.portcullis.agent.endpoint;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.BitSet;

/**
 * IPv4 addresses for endpoints from one prefix. The first usable address is the host's (the
 * endpoints' gateway and the proxy's transparent address); network and broadcast are never used.
 */
final class IpPool {
    private final int network;
    private final int size;
    private final BitSet used = new BitSet();

    IpPool(String cidr) {
        int slash = cidr.indexOf('/');
        int length = Integer.parseInt(cidr.substring(slash + 1));
        if (length < 8 || length > 28) {
            throw new IllegalArgumentException("endpoint pool " + cidr + " must be between /8 and /28");
        }
        int address = toInt(parse(cidr.substring(0, slash)));
        int mask = -1 << (32 - length);
        if ((address & ~mask) != 0) {
            throw new IllegalArgumentException("endpoint pool " + cidr + " has host bits set");
        }
        this.network = address;
        this.size = 1 << (32 - length);
        used.set(0);
        used.set(1);
        used.set(size - 1);
    }

    Inet4Address hostAddress() {
        return toAddress(network + 1);
    }

    synchronized Inet4Address allocate() {
        int index = used.nextClearBit(0);
        if (index >= size) {
            throw new IllegalStateException("the endpoint pool is exhausted (" + (size - 3) + " addresses)");
        }
        used.set(index);
        return toAddress(network + index);
    }

    /** Marks an address taken, for endpoints re-adopted after a restart. */
    synchronized void claim(Inet4Address address) {
        int index = toInt(address) - network;
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException(address.getHostAddress() + " is outside the endpoint pool");
        }
        used.set(index);
    }

    synchronized void release(Inet4Address address) {
        int index = toInt(address) - network;
        if (index > 1 && index < size - 1) {
            used.clear(index);
        }
    }

    static Inet4Address parse(String text) {
        if (!text.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
        }
        try {
            // A dotted quad never triggers a name lookup.
            return (Inet4Address) InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address", e);
        }
    }

    private static int toInt(Inet4Address address) {
        byte[] b = address.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    private static Inet4Address toAddress(int value) {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {
                    (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
