package io.portcullis.bpf.maps;

import java.net.Inet4Address;
import java.nio.ByteBuffer;

/**
 * {@code struct lb_sock_revnat} (lib/lb.h), by socket cookie: where bpf_sock sent a connect
 * (backend or proxy) and what the application asked for (VIP or original peer); all network
 * order. getpeername() shows the latter while the socket's peer is the former.
 */
public record LbSockRevNat(Inet4Address connectedAddr, Inet4Address shownAddr, int connectedPort, int shownPort) {
    public static final int SIZE = 12;
    public static final int OFF_CONNECTED_ADDR = 0;
    public static final int OFF_SHOWN_ADDR = 4;
    public static final int OFF_CONNECTED_PORT = 8;
    public static final int OFF_SHOWN_PORT = 10;
    public static final StructCodec<LbSockRevNat> CODEC = StructCodec.of(SIZE, LbSockRevNat::encode,
            LbSockRevNat::decode);

    public LbSockRevNat {
        Wire.checkPort(connectedPort);
        Wire.checkPort(shownPort);
    }

    public void encode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        Wire.putAddr(buf, base + OFF_CONNECTED_ADDR, connectedAddr);
        Wire.putAddr(buf, base + OFF_SHOWN_ADDR, shownAddr);
        Wire.putPort(buf, base + OFF_CONNECTED_PORT, connectedPort);
        Wire.putPort(buf, base + OFF_SHOWN_PORT, shownPort);
    }

    public static LbSockRevNat decode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        return new LbSockRevNat(Wire.getAddr(buf, base + OFF_CONNECTED_ADDR), Wire.getAddr(buf, base + OFF_SHOWN_ADDR),
                Wire.getPort(buf, base + OFF_CONNECTED_PORT), Wire.getPort(buf, base + OFF_SHOWN_PORT));
    }
}
