package io.portcullis.bpf.maps;

import java.nio.ByteBuffer;
import java.util.Collection;

/**
 * {@code struct drop_counter} (lib/drop.h): one CPU's packets and bytes dropped for one reason, host
 * order. The map is per-CPU; {@link #sum} adds the CPUs up.
 */
public record DropCounter(long packets, long bytes) {
    public static final int SIZE = 16;
    public static final int OFF_PACKETS = 0;
    public static final int OFF_BYTES = 8;
    public static final StructCodec<DropCounter> CODEC = StructCodec.of(SIZE, DropCounter::encode, DropCounter::decode);

    public static DropCounter sum(Collection<DropCounter> perCpu) {
        long packets = 0;
        long bytes = 0;
        for (DropCounter counter : perCpu) {
            packets += counter.packets;
            bytes += counter.bytes;
        }
        return new DropCounter(packets, bytes);
    }

    public void encode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        buf.putLong(base + OFF_PACKETS, packets);
        buf.putLong(base + OFF_BYTES, bytes);
    }

    public static DropCounter decode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        return new DropCounter(buf.getLong(base + OFF_PACKETS), buf.getLong(base + OFF_BYTES));
    }
}
