package io.portcullis.bpf.sidecar;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 prefix written {@code a.b.c.d/len} (a bare address is a /32); host bits must be zero. */
public record Cidr(Inet4Address address, int prefixLen) {
    public Cidr {
        if (prefixLen < 0 || prefixLen > 32) {
            throw new IllegalArgumentException("prefix length out of range 0..32: " + prefixLen);
        }
        int bits = toInt(address);
        int mask = prefixLen == 0 ? 0 : -1 << (32 - prefixLen);
        if ((bits & ~mask) != 0) {
            throw new IllegalArgumentException(address.getHostAddress() + "/" + prefixLen
                    + " has host bits set; did you mean " + fromInt(bits & mask).getHostAddress() + "/" + prefixLen + "?");
        }
    }

    /** Parses a literal (never a host name, so no DNS). */
    public static Cidr parse(String text) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String addr = slash < 0 ? trimmed : trimmed.substring(0, slash);
        int length = 32;
        if (slash >= 0) {
            String len = trimmed.substring(slash + 1);
            if (!len.matches("[0-9]{1,2}")) {
                throw new IllegalArgumentException("bad prefix length in '" + text + "'");
            }
            length = Integer.parseInt(len);
        }
        String[] parts = addr.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("expected an IPv4 CIDR such as 192.0.2.0/24, found '" + text + "'");
        }
        byte[] raw = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (!parts[i].matches("[0-9]{1,3}") || Integer.parseInt(parts[i]) > 255) {
                throw new IllegalArgumentException("expected an IPv4 CIDR such as 192.0.2.0/24, found '" + text + "'");
            }
            raw[i] = (byte) Integer.parseInt(parts[i]);
        }
        return new Cidr(fromBytes(raw), length);
    }

    public boolean isHost() {
        return prefixLen == 32;
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + prefixLen;
    }

    static int toInt(Inet4Address addr) {
        byte[] raw = addr.getAddress();
        return (raw[0] & 0xFF) << 24 | (raw[1] & 0xFF) << 16 | (raw[2] & 0xFF) << 8 | raw[3] & 0xFF;
    }

    static Inet4Address fromInt(int bits) {
        return fromBytes(new byte[] {(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits});
    }

    private static Inet4Address fromBytes(byte[] raw) {
        try {
            return (Inet4Address) InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 bytes are always an IPv4 address", e);
        }
    }
}
