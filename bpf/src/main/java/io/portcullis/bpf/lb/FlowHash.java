package io.portcullis.bpf.lb;

import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * MurmurHash3 (x86_32) over 32-bit words, exactly as lib/lb.h computes it ({@code lb_flow_hash},
 * {@code lb_cookie_hash}), so Java can tell which Maglev slot the kernel picks for a flow; and,
 * with other seeds, the two hashes of a backend's name that {@link Maglev} needs.
 */
public final class FlowHash {
    private FlowHash() {
    }

    /**
     * The kernel's hash of a north-south flow: the words saddr, daddr, (sport << 16 | dport) and
     * protocol, each as the host reads the network-order fields.
     */
    public static int ofFlow(Inet4Address saddr, Inet4Address daddr, int sport, int dport, int protocol) {
        int hash = 0;
        hash = round(hash, hostView(saddr));
        hash = round(hash, hostView(daddr));
        hash = round(hash, (hostView16(sport) << 16) | hostView16(dport));
        hash = round(hash, protocol);
        return finish(hash, 16);
    }

    /** The kernel's hash of an east-west socket: its cookie. */
    public static int ofCookie(long cookie) {
        int hash = 0;
        hash = round(hash, (int) cookie);
        hash = round(hash, (int) (cookie >>> 32));
        return finish(hash, 8);
    }

    /** MurmurHash3 of the words with a seed. */
    static int of(int seed, int... words) {
        int hash = seed;
        for (int word : words) {
            hash = round(hash, word);
        }
        return finish(hash, words.length * Integer.BYTES);
    }

    private static int round(int hash, int word) {
        word *= 0xcc9e2d51;
        word = Integer.rotateLeft(word, 15);
        word *= 0x1b873593;
        hash ^= word;
        hash = Integer.rotateLeft(hash, 13);
        return hash * 5 + 0xe6546b64;
    }

    private static int finish(int hash, int length) {
        hash ^= length;
        hash ^= hash >>> 16;
        hash *= 0x85ebca6b;
        hash ^= hash >>> 13;
        hash *= 0xc2b2ae35;
        return hash ^ (hash >>> 16);
    }

    /** A network-order address as the kernel's u32 load sees it on this host. */
    private static int hostView(Inet4Address address) {
        return ByteBuffer.wrap(address.getAddress()).order(ByteOrder.nativeOrder()).getInt();
    }

    /** A network-order port as the kernel's u16 load sees it on this host. */
    private static int hostView16(int port) {
        return ByteBuffer.wrap(new byte[] {(byte) (port >>> 8), (byte) port}).order(ByteOrder.nativeOrder())
                .getShort() & 0xFFFF;
    }
}
