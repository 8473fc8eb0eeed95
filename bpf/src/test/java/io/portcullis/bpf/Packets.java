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
        return ipv4(src, dst, ICMP, new byte[] {8, 0, 0, 0, 0, 1, 0, 1});
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

    static byte[] addr(String dotted) {
        String[] parts = dotted.split("\\.");
        byte[] raw = new byte[4];
        for (int i = 0; i < 4; i++) {
            raw[i] = (byte) Integer.parseInt(parts[i]);
        }
        return raw;
    }
}
