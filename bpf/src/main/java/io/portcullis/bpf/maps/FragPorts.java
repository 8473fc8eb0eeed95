package io.portcullis.bpf.maps;

import java.nio.ByteBuffer;

/**
 * {@code struct frag_ports} (lib/fragments.h): the ports of a fragmented datagram, network order;
 * for ICMP, {@code dport} is the message type.
 */
public record FragPorts(int sport, int dport) {
    public static final int SIZE = 4;
    public static final int OFF_SPORT = 0;
    public static final int OFF_DPORT = 2;
    public static final StructCodec<FragPorts> CODEC = StructCodec.of(SIZE, FragPorts::encode, FragPorts::decode);

    public void encode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        Wire.putPort(buf, base + OFF_SPORT, sport);
        Wire.putPort(buf, base + OFF_DPORT, dport);
    }

    public static FragPorts decode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        return new FragPorts(Wire.getPort(buf, base + OFF_SPORT), Wire.getPort(buf, base + OFF_DPORT));
    }
}
