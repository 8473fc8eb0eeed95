package io.portcullis.bpf.maps;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Field helpers shared by the struct mirrors: absolute writes at {@code base + offset}, with
 * network-order fields written big-endian whatever the buffer's order.
 */
final class Wire {
    private Wire() {
    }

    static int begin(ByteBuffer buf, int size) {
        if (buf.order() != ByteOrder.nativeOrder()) {
            throw new IllegalArgumentException("BPF map buffers must be in native byte order");
        }
        int base = buf.position();
        buf.position(base + size); // fails fast when the buffer is too small
        return base;
    }

    static void putAddr(ByteBuffer buf, int at, Inet4Address addr) {
        buf.put(at, addr.getAddress(), 0, 4);
    }

    static Inet4Address getAddr(ByteBuffer buf, int at) {
        byte[] raw = new byte[4];
        buf.get(at, raw, 0, 4);
        return addr(raw);
    }

    static void putPort(ByteBuffer buf, int at, int port) {
        checkPort(port);
        buf.put(at, (byte) (port >>> 8));
        buf.put(at + 1, (byte) port);
    }

    static int getPort(ByteBuffer buf, int at) {
        return (buf.get(at) & 0xFF) << 8 | buf.get(at + 1) & 0xFF;
    }

    static void checkPort(int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port out of range 0..65535: " + port);
        }
    }

    /** For host-order u16 fields that are not ports (service ids, slots). */
    static void checkU16(String what, int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException(what + " out of range 0..65535: " + value);
        }
    }

    static void checkUnsignedByte(String what, int value) {
        if (value < 0 || value > 0xFF) {
            throw new IllegalArgumentException(what + " out of range 0..255: " + value);
        }
    }

    static void checkPrefixLength(int prefixLen, int max) {
        if (prefixLen < 0 || prefixLen > max) {
            throw new IllegalArgumentException("prefix length out of range 0.." + max + ": " + prefixLen);
        }
    }

    /** The address with the bits beyond prefixLen cleared, as the LPM trie compares it. */
    static Inet4Address mask(Inet4Address addr, int prefixLen) {
        int bits = ipv4ToInt(addr);
        int mask = prefixLen == 0 ? 0 : -1 << (32 - prefixLen);
        return intToIpv4(bits & mask);
    }

    static int ipv4ToInt(Inet4Address addr) {
        byte[] raw = addr.getAddress();
        return (raw[0] & 0xFF) << 24 | (raw[1] & 0xFF) << 16 | (raw[2] & 0xFF) << 8 | raw[3] & 0xFF;
    }

    static Inet4Address intToIpv4(int bits) {
        return addr(new byte[] {(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits});
    }

    private static Inet4Address addr(byte[] raw) {
        try {
            return (Inet4Address) InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 bytes are always an IPv4 address", e);
        }
    }
}
