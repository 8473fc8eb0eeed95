package io.portcullis.bpf.maps;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * {@code struct lb_maglev_table} (lib/lb.h): the backend id (host order) of each of the
 * {@link #SLOTS} slots of a MAGLEV service's lookup table.
 */
public record LbMaglevTable(int[] backendIds) {
    /** C {@code LB_MAGLEV_SIZE}. */
    public static final int SLOTS = 1021;
    public static final int SIZE = SLOTS * Integer.BYTES;
    public static final int OFF_BACKEND_IDS = 0;
    public static final StructCodec<LbMaglevTable> CODEC = StructCodec.of(SIZE, LbMaglevTable::encode,
            LbMaglevTable::decode);

    public LbMaglevTable {
        if (backendIds.length != SLOTS) {
            throw new IllegalArgumentException("a Maglev table has " + SLOTS + " slots, got " + backendIds.length);
        }
        backendIds = backendIds.clone();
    }

    @Override
    public int[] backendIds() {
        return backendIds.clone();
    }

    public void encode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        for (int i = 0; i < SLOTS; i++) {
            buf.putInt(base + OFF_BACKEND_IDS + i * Integer.BYTES, backendIds[i]);
        }
    }

    public static LbMaglevTable decode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        int[] ids = new int[SLOTS];
        for (int i = 0; i < SLOTS; i++) {
            ids[i] = buf.getInt(base + OFF_BACKEND_IDS + i * Integer.BYTES);
        }
        return new LbMaglevTable(ids);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LbMaglevTable table && Arrays.equals(backendIds, table.backendIds);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(backendIds);
    }

    @Override
    public String toString() {
        return "LbMaglevTable[" + SLOTS + " slots]";
    }
}
