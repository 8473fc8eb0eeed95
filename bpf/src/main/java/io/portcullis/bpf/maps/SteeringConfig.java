package io.portcullis.bpf.maps;

import java.net.Inet4Address;
import java.nio.ByteBuffer;

/**
 * {@code struct steering_config} (lib/sockmap.h), the single entry (key 0) of
 * {@link MapNames#STEERING}: the proxy address connect4 rewrites L7 connections to (network
 * order) and the {@code STEER_F_*} switches (host order).
 */
public record SteeringConfig(Inet4Address proxyAddr, boolean denyAtConnect, boolean socketRedirect) {
    public static final int SIZE = 8;
    public static final int OFF_PROXY_ADDR = 0;
    public static final int OFF_FLAGS = 4;
    /** {@code STEER_F_DENY_AT_CONNECT}. */
    public static final int FLAG_DENY_AT_CONNECT = 0x1;
    /** {@code STEER_F_SOCKET_REDIRECT}. */
    public static final int FLAG_SOCKET_REDIRECT = 0x2;
    public static final StructCodec<SteeringConfig> CODEC =
            StructCodec.of(SIZE, SteeringConfig::encode, SteeringConfig::decode);

    public int flags() {
        return (denyAtConnect ? FLAG_DENY_AT_CONNECT : 0) | (socketRedirect ? FLAG_SOCKET_REDIRECT : 0);
    }

    public void encode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        Wire.putAddr(buf, base + OFF_PROXY_ADDR, proxyAddr);
        buf.putInt(base + OFF_FLAGS, flags());
    }

    public static SteeringConfig decode(ByteBuffer buf) {
        int base = Wire.begin(buf, SIZE);
        int flags = buf.getInt(base + OFF_FLAGS);
        return new SteeringConfig(Wire.getAddr(buf, base + OFF_PROXY_ADDR), (flags & FLAG_DENY_AT_CONNECT) != 0,
                (flags & FLAG_SOCKET_REDIRECT) != 0);
    }
}
