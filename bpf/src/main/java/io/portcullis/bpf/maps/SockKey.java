package io.portcullis.bpf.maps;

import java.net.Inet4Address;
import java.nio.ByteBuffer;

/**
 * {@code struct sock_key} (lib/sockmap.h): an IPv4 TCP 4-tuple, all fields network order. Key of
 * the sockhash (local side in sip/sport) and of the original-destination map (client side in
 * sip/sport, proxy side in dip/dport).
 */
public record SockKey(Inet4Address sip, Inet4Address dip, int sport, int dport) {
    public static final int SIZE = 12;
    public static final int OFF_SIP = 0;
    public static final int OFF_DIP = 4;
    public static final int OFF_SPORT = 8;
    public static final int OFF_DPORT = 10;
    public static final StructCodec<SockKey> CODEC = StructCodec.of(SIZE, SockKey::encode, SockKey::decode);

    public SockKey {
        Wire.checkPort(sport);
        Wire.checkPort(dport);
    }

    public void encode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        Wire.putAddr(buf, base + OFF_SIP, sip);
        Wire.putAddr(buf, base + OFF_DIP, dip);
        Wire.putPort(buf, base + OFF_SPORT, sport);
        Wire.putPort(buf, base + OFF_DPORT, dport);
    }

    public static SockKey decode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        return new SockKey(Wire.getAddr(buf, base + OFF_SIP), Wire.getAddr(buf, base + OFF_DIP),
                Wire.getPort(buf, base + OFF_SPORT), Wire.getPort(buf, base + OFF_DPORT));
    }
}
