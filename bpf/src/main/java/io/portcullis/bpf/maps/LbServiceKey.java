package io.portcullis.bpf.maps;

import java.net.Inet4Address;
import java.nio.ByteBuffer;

/**
 * {@code struct lb_service_key} (lib/lb.h): a service frontend (VIP and port network order,
 * protocol number) and a slot (host order): 0 is the service's master entry, 1..count its backend
 * slots. Bytes 9..11 are padding, written as zero.
 */
public record LbServiceKey(Inet4Address vip, int port, int slot, int protocol) {
    public static final int SIZE = 12;
    public static final int OFF_VIP = 0;
    public static final int OFF_DPORT = 4;
    public static final int OFF_SLOT = 6;
    public static final int OFF_PROTOCOL = 8;
    public static final int OFF_PAD = 9;
    /** The slot of the master entry. */
    public static final int MASTER = 0;
    public static final StructCodec<LbServiceKey> CODEC = StructCodec.of(SIZE, LbServiceKey::encode,
            LbServiceKey::decode);

    public LbServiceKey {
        Wire.checkPort(port);
        Wire.checkU16("slot", slot);
        Wire.checkUnsignedByte("protocol", protocol);
    }

    /** The same frontend at another slot. */
    public LbServiceKey withSlot(int otherSlot) {
        return new LbServiceKey(vip, port, otherSlot, protocol);
    }

    public void encode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        Wire.putAddr(buf, base + OFF_VIP, vip);
        Wire.putPort(buf, base + OFF_DPORT, port);
        buf.putShort(base + OFF_SLOT, (short) slot);
        buf.put(base + OFF_PROTOCOL, (byte) protocol);
        buf.put(base + OFF_PAD, (byte) 0).put(base + OFF_PAD + 1, (byte) 0).put(base + OFF_PAD + 2, (byte) 0);
    }

    public static LbServiceKey decode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        return new LbServiceKey(Wire.getAddr(buf, base + OFF_VIP), Wire.getPort(buf, base + OFF_DPORT),
                buf.getShort(base + OFF_SLOT) & 0xFFFF, buf.get(base + OFF_PROTOCOL) & 0xFF);
    }
}
