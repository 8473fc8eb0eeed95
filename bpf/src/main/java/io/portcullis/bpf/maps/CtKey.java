package io.portcullis.bpf.maps;

import java.net.Inet4Address;
import java.nio.ByteBuffer;

/**
 * {@code struct ct_key} (lib/conntrack.h): a tracked flow as seen by the endpoint that opened it. Laid out as {@link FlowKeyLayout}.
 */
public record CtKey(Inet4Address saddr, Inet4Address daddr, int sport, int dport, int protocol,
        TrafficDirection direction) {
    public static final StructCodec<CtKey> CODEC = StructCodec.of(FlowKeyLayout.SIZE, CtKey::encode, CtKey::decode);

    public CtKey {
        FlowKeyLayout.check(sport, dport, protocol);
    }

    public void encode(ByteBuffer buf) {
        FlowKeyLayout.encode(buf, saddr, daddr, sport, dport, protocol, direction.code());
    }

    public static CtKey decode(ByteBuffer buf) {
        FlowKeyLayout.Fields f = FlowKeyLayout.decode(buf);
        return new CtKey(f.saddr(), f.daddr(), f.sport(), f.dport(), f.protocol(), TrafficDirection.of(f.direction()));
    }
}
