package io.portcullis.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * {@code IP:PORT} with a literal IPv4 address and a port in [1, 65535], as services are written in
 * the config, the API and the CLI. Never a host name: parsing does no DNS.
 */
public final class SocketAddressText {
    private SocketAddressText() {
    }

    /**
     * @throws IllegalArgumentException with a message saying what is wrong with {@code text}
     */
    public static InetSocketAddress parse(String text) {
        String value = text.trim();
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || !value.substring(colon + 1).matches("[0-9]{1,5}")) {
            throw new IllegalArgumentException("expected IP:PORT such as 10.96.0.10:80, found '" + text + "'");
        }
        String ip = value.substring(0, colon);
        int port = Integer.parseInt(value.substring(colon + 1));
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " of '" + text + "' is out of range [1, 65535]");
        }
        try {
            return new InetSocketAddress(ipv4(ip), port);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + ip + "' in '" + text + "' is not an IPv4 address", e);
        }
    }

    /** {@code 10.96.0.10:80}. */
    public static String format(InetSocketAddress address) {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    /**
     * A literal IPv4 address, never a host name.
     *
     * @throws IllegalArgumentException naming {@code ip}
     */
    public static Inet4Address ipv4(String ip) {
        String[] parts = ip.split("\\.", -1);
        byte[] bytes = new byte[4];
        boolean ok = parts.length == 4;
        for (int i = 0; ok && i < 4; i++) {
            ok = parts[i].matches("[0-9]{1,3}") && Integer.parseInt(parts[i]) <= 255;
            if (ok) {
                bytes[i] = (byte) Integer.parseInt(parts[i]);
            }
        }
        if (!ok) {
            throw new IllegalArgumentException("expected an IPv4 address, found '" + ip + "'");
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
