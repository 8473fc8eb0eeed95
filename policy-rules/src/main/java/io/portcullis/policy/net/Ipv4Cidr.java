package io.portcullis.policy.net;

/**
 * An IPv4 prefix such as {@code 10.0.0.0/8}. The address is kept masked, so {@code 10.1.2.3/8}
 * and {@code 10.0.0.0/8} are the same value, as Cilium normalises them.
 */
public record Ipv4Cidr(int address, int prefixLength) implements Comparable<Ipv4Cidr> {
    public static final Ipv4Cidr ANY = new Ipv4Cidr(0, 0);

    public Ipv4Cidr {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is not in [0, 32]");
        }
        address &= mask(prefixLength);
    }

    /**
     * Parses {@code a.b.c.d/n} or a bare address (a /32).
     *
     * @throws IllegalArgumentException with a message naming the text and what is wrong
     */
    public static Ipv4Cidr parse(String text) {
        String value = text.trim();
        if (value.indexOf(':') >= 0) {
            throw new IllegalArgumentException("invalid CIDR '" + text + "': IPv6 is not supported");
        }
        int slash = value.indexOf('/');
        String length = slash < 0 ? "32" : value.substring(slash + 1);
        if (!isDecimal(length, 2) || Integer.parseInt(length) > 32) {
            throw new IllegalArgumentException("invalid CIDR '" + text + "': prefix length must be 0..32");
        }
        String address = slash < 0 ? value : value.substring(0, slash);
        if (!isAddress(address)) {
            throw new IllegalArgumentException("invalid CIDR '" + text + "': '" + address
                    + "' is not an IPv4 address");
        }
        return new Ipv4Cidr(parseAddress(address), Integer.parseInt(length));
    }

    /** Parses a dotted-quad IPv4 address into its 32 bits. */
    public static int parseAddress(String text) {
        if (!isAddress(text)) {
            throw new IllegalArgumentException("invalid IPv4 address '" + text + "'");
        }
        int address = 0;
        for (String octet : text.split("\\.")) {
            address = (address << 8) | Integer.parseInt(octet);
        }
        return address;
    }

    /** Whether {@code text} is a dotted-quad IPv4 address. */
    public static boolean isAddress(String text) {
        String[] octets = text.split("\\.", -1);
        if (octets.length != 4) {
            return false;
        }
        for (String octet : octets) {
            if (!isDecimal(octet, 3) || Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    public static String formatAddress(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "."
                + (address & 0xff);
    }

    public static int mask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    public boolean contains(int ip) {
        return (ip & mask(prefixLength)) == address;
    }

    /** True when {@code other} is this prefix or a more specific prefix inside it. */
    public boolean contains(Ipv4Cidr other) {
        return other.prefixLength >= prefixLength && contains(other.address);
    }

    @Override
    public int compareTo(Ipv4Cidr other) {
        int byAddress = Integer.compareUnsigned(address, other.address);
        return byAddress != 0 ? byAddress : Integer.compare(prefixLength, other.prefixLength);
    }

    @Override
    public String toString() {
        return formatAddress(address) + "/" + prefixLength;
    }

    private static boolean isDecimal(String text, int maxDigits) {
        if (text.isEmpty() || text.length() > maxDigits) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
