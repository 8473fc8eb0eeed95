package io.portcullis.bpf.maps;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code struct policy_key} (lib/policy.h), key of the {@link MapNames#POLICY} LPM trie. Identities
 * and prefixlen are host order; {@code dport} is network order so that a port block is a bit prefix.
 * For ICMP ({@code protocol} 1) the "port" is the message type, as bpf_lxc looks it up.
 *
 * <p>The prefix length says what is wildcarded: {@link #PREFIX_ANY_PROTOCOL} (72) matches every
 * protocol and port, {@link #PREFIX_ANY_PORT} (80) one protocol and every port, 80 + n the first n
 * bits of the port, {@link #PREFIX_FULL} (96) one port. A {@code remoteId} of 0 matches any peer.
 * Use the factories; the constructor clears the bits the prefix does not cover.
 */
public record PolicyKey(int prefixLen, int localId, int remoteId, TrafficDirection direction, int protocol, int dport) {
    public static final int SIZE = 16;
    public static final int OFF_PREFIXLEN = 0;
    public static final int OFF_LOCAL_ID = 4;
    public static final int OFF_REMOTE_ID = 8;
    public static final int OFF_DIRECTION = 12;
    public static final int OFF_PROTOCOL = 13;
    public static final int OFF_DPORT = 14;
    public static final int PREFIX_ANY_PROTOCOL = 72;
    public static final int PREFIX_ANY_PORT = 80;
    public static final int PREFIX_FULL = 96;
    /** Remote identity that matches every peer. */
    public static final int ANY_REMOTE = 0;
    public static final StructCodec<PolicyKey> CODEC = StructCodec.of(SIZE, PolicyKey::encode, PolicyKey::decode);

    public PolicyKey {
        if (prefixLen < PREFIX_ANY_PROTOCOL || prefixLen > PREFIX_FULL) {
            throw new IllegalArgumentException("policy prefix length must be 72..96, got " + prefixLen);
        }
        Wire.checkUnsignedByte("protocol", protocol);
        Wire.checkPort(dport);
        if (prefixLen < PREFIX_ANY_PORT) {
            protocol = 0;
        }
        int portBits = prefixLen - PREFIX_ANY_PORT;
        dport = portBits <= 0 ? 0 : dport & (0xFFFF << (16 - portBits)) & 0xFFFF;
    }

    /** Every protocol and port between the two identities. */
    public static PolicyKey anyProtocol(int localId, int remoteId, TrafficDirection direction) {
        return new PolicyKey(PREFIX_ANY_PROTOCOL, localId, remoteId, direction, 0, 0);
    }

    /** Every port of one protocol (IPPROTO_* number). */
    public static PolicyKey anyPort(int localId, int remoteId, TrafficDirection direction, int protocol) {
        return new PolicyKey(PREFIX_ANY_PORT, localId, remoteId, direction, protocol, 0);
    }

    /** One destination port of one protocol. */
    public static PolicyKey port(int localId, int remoteId, TrafficDirection direction, int protocol, int port) {
        return new PolicyKey(PREFIX_FULL, localId, remoteId, direction, protocol, port);
    }

    /**
     * The keys that together match exactly the ports {@code from..to} (inclusive): the range split
     * into power-of-two aligned blocks, at most 30 keys for any range.
     */
    public static List<PolicyKey> portRange(int localId, int remoteId, TrafficDirection direction, int protocol,
            int from, int to) {
        Wire.checkPort(from);
        Wire.checkPort(to);
        if (from > to) {
            throw new IllegalArgumentException("port range " + from + ".." + to + " is empty");
        }
        List<PolicyKey> keys = new ArrayList<>();
        int start = from;
        while (start <= to) {
            int blockBits = Math.min(Integer.numberOfTrailingZeros(start | 0x10000), 16);
            while (start + (1 << blockBits) - 1 > to) {
                blockBits--;
            }
            keys.add(new PolicyKey(PREFIX_FULL - blockBits, localId, remoteId, direction, protocol, start));
            start += 1 << blockBits;
        }
        return keys;
    }

    public void encode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        buf.putInt(base + OFF_PREFIXLEN, prefixLen);
        buf.putInt(base + OFF_LOCAL_ID, localId);
        buf.putInt(base + OFF_REMOTE_ID, remoteId);
        buf.put(base + OFF_DIRECTION, (byte) direction.code());
        buf.put(base + OFF_PROTOCOL, (byte) protocol);
        Wire.putPort(buf, base + OFF_DPORT, dport);
    }

    public static PolicyKey decode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        return new PolicyKey(buf.getInt(base + OFF_PREFIXLEN), buf.getInt(base + OFF_LOCAL_ID),
                buf.getInt(base + OFF_REMOTE_ID), TrafficDirection.of(buf.get(base + OFF_DIRECTION)),
                buf.get(base + OFF_PROTOCOL) & 0xFF, Wire.getPort(buf, base + OFF_DPORT));
    }
}
