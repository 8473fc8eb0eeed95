package io.portcullis.bpf.maps;

import java.nio.ByteBuffer;

/**
 * {@code struct ipcache_value} (lib/ipcache.h): the security identity of a prefix and flags, both
 * host order.
 */
public record IpcacheValue(int identity, int flags) {
    public static final int SIZE = 8;
    public static final int OFF_IDENTITY = 0;
    public static final int OFF_FLAGS = 4;
    /** {@code IPCACHE_F_LOCAL_ENDPOINT}: the prefix is an endpoint on this node. */
    public static final int FLAG_LOCAL_ENDPOINT = 0x1;
    /** {@code IPCACHE_F_AUDIT}: that endpoint's policy is in audit mode (its own switch or the node's). */
    public static final int FLAG_AUDIT = 0x2;
    public static final StructCodec<IpcacheValue> CODEC =
            StructCodec.of(SIZE, IpcacheValue::encode, IpcacheValue::decode);

    /** A local endpoint's own address. */
    public static IpcacheValue localEndpoint(int identity) {
        return localEndpoint(identity, false);
    }

    /** A local endpoint's own address, its policy in audit mode or not. */
    public static IpcacheValue localEndpoint(int identity, boolean audit) {
        return new IpcacheValue(identity, FLAG_LOCAL_ENDPOINT | (audit ? FLAG_AUDIT : 0));
    }

    /** A remote address or CIDR. */
    public static IpcacheValue remote(int identity) {
        return new IpcacheValue(identity, 0);
    }

    public void encode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        buf.putInt(base + OFF_IDENTITY, identity);
        buf.putInt(base + OFF_FLAGS, flags);
    }

    public static IpcacheValue decode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        return new IpcacheValue(buf.getInt(base + OFF_IDENTITY), buf.getInt(base + OFF_FLAGS));
    }
}
