package io.portcullis.bpf;

import java.nio.ByteBuffer;

/** Crafted frames for BPF_PROG_TEST_RUN: only the fields the programs read are meaningful. */
final class Packets {
    static final int ETH_P_IP = 0x0800;
    static final int ETH_P_ARP = 0x0806;
    static final int ETH_P_IPV6 = 0x86DD;
    static final int TCP = 6;
    static final int UDP = 17;
    static final int ICMP = 1;

    private Packets() {
    }

    static byte[] ethernet(int etherType, byte[] payload) {
        ByteBuffer frame = ByteBuffer.allocate(14 + payload.length);
        frame.put(new byte[] {2, 0, 0, 0, 0, 2}).put(new byte[] {2, 0, 0, 0, 0, 1});
        frame.putShort((short) etherType).put(payload);
        return frame.array();
    }

    static byte[] ipv4(String src, String dst, int protocol, byte[] l4) {
        return ipv4(src, dst, protocol, 0, l4);
    }

    /** fragOff: the raw 16-bit flags + fragment offset field (e.g. 0x0001 = offset 8 bytes). */
    static byte[] ipv4(String src, String dst, int protocol, int fragOff, byte[] l4) {
        ByteBuffer ip = ByteBuffer.allocate(20 + l4.length);
        ip.put((byte) 0x45).put((byte) 0).putShort((short) (20 + l4.length));
        ip.putShort((short) 1).putShort((short) fragOff);
        ip.put((byte) 64).put((byte) protocol).putShort((short) 0);
        ip.put(addr(src)).put(addr(dst)).put(l4);
        return ethernet(ETH_P_IP, ip.array());
    }

    static final int TCP_FIN = 0x01;
    static final int TCP_SYN = 0x02;
    static final int TCP_RST = 0x04;
    static final int TCP_ACK = 0x10;

    /** A TCP SYN. */
    static byte[] tcp(String src, int sport, String dst, int dport) {
        return tcp(src, sport, dst, dport, TCP_SYN);
    }

    /** A TCP segment with the given flags (TCP_*). */
    static byte[] tcp(String src, int sport, String dst, int dport, int flags) {
        ByteBuffer tcp = ByteBuffer.allocate(20);
        tcp.putShort((short) sport).putShort((short) dport).putInt(1).putInt(0);
        tcp.put((byte) 0x50).put((byte) flags).putShort((short) 65535).putInt(0);
        return ipv4(src, dst, TCP, tcp.array());
    }

    static byte[] udp(String src, int sport, String dst, int dport) {
        ByteBuffer udp = ByteBuffer.allocate(8);
        udp.putShort((short) sport).putShort((short) dport).putShort((short) 8).putShort((short) 0);
        return ipv4(src, dst, UDP, udp.array());
    }

    static byte[] icmpEcho(String src, String dst) {
        return icmp(src, dst, ICMP_ECHO_REQUEST);
    }

    static final int ICMP_ECHO_REPLY = 0;
    static final int ICMP_ECHO_REQUEST = 8;
    static final int ICMP_TIMESTAMP = 13;

    /** An ICMP message of {@code type} with code 0, identifier 1 and sequence 1. */
    static byte[] icmp(String src, String dst, int type) {
        return ipv4(src, dst, ICMP, new byte[] {(byte) type, 0, 0, 0, 0, 1, 0, 1});
    }

    static final int ICMP_DEST_UNREACH = 3;
    static final int ICMP_TIME_EXCEEDED = 11;
    static final int ICMP_PARAMETER_PROBLEM = 12;
    static final int ICMP_PORT_UNREACH = 3;
    static final int ICMP_FRAG_NEEDED = 4;

    /**
     * An ICMP error (type, code) from src to dst about {@code original}, a frame of this class: it
     * quotes the original's IPv4 header and first 8 L4 bytes, as RFC 792 routers and hosts do.
     */
    static byte[] icmpError(String src, String dst, int type, int code, byte[] original) {
        return icmpErrorQuoting(src, dst, type, code, quote(original));
    }

    /** What an ICMP error quotes of a frame of this class: its IPv4 header and first 8 L4 bytes. */
    static byte[] quote(byte[] frame) {
        byte[] quote = new byte[(frame[14] & 0xF) * 4 + 8];
        System.arraycopy(frame, 14, quote, 0, quote.length);
        return quote;
    }

    /** An ICMP error (type, code) from src to dst whose quote is exactly {@code quote}, cut short or not. */
    static byte[] icmpErrorQuoting(String src, String dst, int type, int code, byte[] quote) {
        ByteBuffer icmp = ByteBuffer.allocate(8 + quote.length);
        icmp.put((byte) type).put((byte) code).putShort((short) 0);
        // Fragmentation needed carries the next-hop MTU in the low half of the second word (RFC 1191).
        icmp.putShort((short) 0).putShort((short) (type == ICMP_DEST_UNREACH && code == ICMP_FRAG_NEEDED ? 1400 : 0));
        icmp.put(quote);
        return ipv4(src, dst, ICMP, icmp.array());
    }

    /** The frame with {@code words} 4-byte words of IPv4 options (NOPs) after the fixed header. */
    static byte[] withIpv4Options(byte[] frame, int words) {
        int ihl = (frame[14] & 0xF) * 4;
        ByteBuffer out = ByteBuffer.allocate(frame.length + words * 4);
        out.put(frame, 0, 14 + ihl);
        for (int i = 0; i < words * 4; i++) {
            out.put((byte) 1);
        }
        out.put(frame, 14 + ihl, frame.length - 14 - ihl);
        out.put(14, (byte) (0x40 | (ihl / 4 + words)));
        out.putShort(16, (short) (out.capacity() - 14));
        return out.array();
    }

    static byte[] arp() {
        return ethernet(ETH_P_ARP, new byte[28]);
    }

    static byte[] ipv6() {
        byte[] header = new byte[40];
        header[0] = 0x60;
        return ethernet(ETH_P_IPV6, header);
    }

    /** The first n bytes of a frame. */
    static byte[] truncate(byte[] frame, int n) {
        byte[] out = new byte[n];
        System.arraycopy(frame, 0, out, 0, n);
        return out;
    }

    /** The frame with a correct IPv4 header checksum and TCP or UDP checksum (over pseudo header). */
    static byte[] withChecksums(byte[] frame) {
        byte[] out = withIpv4Checksum(frame);
        ByteBuffer buf = ByteBuffer.wrap(out);
        int ihl = (out[14] & 0xF) * 4;
        int csum = 14 + ihl + (out[14 + 9] == TCP ? 16 : 6);
        buf.putShort(csum, (short) 0);
        int l4 = ~fold(l4Sum(out)) & 0xFFFF;
        buf.putShort(csum, (short) (l4 == 0 && out[14 + 9] == UDP ? 0xFFFF : l4));
        return out;
    }

    /** The frame with a correct IPv4 header checksum (for fragments, whose L4 sum spans the datagram). */
    static byte[] withIpv4Checksum(byte[] frame) {
        byte[] out = frame.clone();
        ByteBuffer buf = ByteBuffer.wrap(out);
        buf.putShort(14 + 10, (short) 0);
        buf.putShort(14 + 10, (short) ~fold(sum(out, 14, (out[14] & 0xF) * 4)));
        return out;
    }

    /** Whether the IPv4 header checksum of the frame verifies. */
    static boolean ipv4ChecksumValid(byte[] frame) {
        return fold(sum(frame, 14, (frame[14] & 0xF) * 4)) == 0xFFFF;
    }

    /** Whether the TCP or UDP checksum of the frame verifies against its pseudo header. */
    static boolean l4ChecksumValid(byte[] frame) {
        return fold(l4Sum(frame)) == 0xFFFF;
    }

    /** Destination or source address (dotted) and port of an IPv4 TCP/UDP frame. */
    static String destination(byte[] frame) {
        return endpoint(frame, 14 + 16, 2);
    }

    static String source(byte[] frame) {
        return endpoint(frame, 14 + 12, 0);
    }

    private static String endpoint(byte[] frame, int addrAt, int portInL4) {
        int l4 = 14 + (frame[14] & 0xF) * 4;
        int port = (frame[l4 + portInL4] & 0xFF) << 8 | frame[l4 + portInL4 + 1] & 0xFF;
        return (frame[addrAt] & 0xFF) + "." + (frame[addrAt + 1] & 0xFF) + "." + (frame[addrAt + 2] & 0xFF) + "."
                + (frame[addrAt + 3] & 0xFF) + ":" + port;
    }

    private static long l4Sum(byte[] frame) {
        int ihl = (frame[14] & 0xF) * 4;
        int total = (frame[16] & 0xFF) << 8 | frame[17] & 0xFF;
        int l4Length = total - ihl;
        long pseudo = sum(frame, 14 + 12, 8) + (frame[14 + 9] & 0xFF) + l4Length;
        return pseudo + sum(frame, 14 + ihl, l4Length);
    }

    private static long sum(byte[] bytes, int from, int length) {
        long sum = 0;
        for (int i = 0; i < length; i += 2) {
            int high = bytes[from + i] & 0xFF;
            int low = i + 1 < length ? bytes[from + i + 1] & 0xFF : 0;
            sum += high << 8 | low;
        }
        return sum;
    }

    private static int fold(long sum) {
        while (sum >> 16 != 0) {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (int) sum;
    }

    static byte[] addr(String dotted) {
        String[] parts = dotted.split("\\.");
        byte[] raw = new byte[4];
        for (int i = 0; i < 4; i++) {
            raw[i] = (byte) Integer.parseInt(parts[i]);
        }
        return raw;
    }
}
