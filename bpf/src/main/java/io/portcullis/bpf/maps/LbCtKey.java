package io.portcullis.bpf.maps;

import java.net.Inet4Address;
import java.nio.ByteBuffer;

/**
 * {@code struct lb_ct_key} (lib/lb.h): one direction of a north-south flow as the uplink sees
 * it. Laid out as {@link FlowKeyLayout}.
 */
public record LbCtKey(Inet4Address saddr, Inet4Address daddr, int sport, int dport, int protocol,
        LbCtDirection direction) {
    public static final StructCodec<LbCtKey> CODEC = StructCodec.of(FlowKeyLayout.SIZE, LbCtKey::encode, LbCtKey::decode);

    public LbCtKey {
        FlowKeyLayout.check(sport, dport, protocol);
    }

    public void encode(ByteBuffer buf) {
        FlowKeyLayout.encode(buf, saddr, daddr, sport, dport, protocol, direction.code());
    }

    public static LbCtKey decode(ByteBuffer buf) {
        FlowKeyLayout.Fields f = FlowKeyLayout.decode(buf);
        return new LbCtKey(f.saddr(), f.daddr(), f.sport(), f.dport(), f.protocol(), LbCtDirection.of(f.direction()));
    }
}
