package io.portcullis.bpf.maps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Byte-level encoding of the mirrors: network-order fields big-endian, host-order fields native. */
class StructCodecTest {

    @Test
    void networkOrderFieldsAreBigEndianAndHostOrderFieldsNative() throws Exception {
        PolicyKey key = PolicyKey.port(0x01020304, 0x0A0B0C0D, TrafficDirection.EGRESS, 6, 8080);
        ByteBuffer buf = encode(PolicyKey.CODEC, key);

        assertThat(buf.getInt(PolicyKey.OFF_PREFIXLEN)).isEqualTo(96);
        assertThat(buf.getInt(PolicyKey.OFF_LOCAL_ID)).isEqualTo(0x01020304);
        assertThat(buf.getInt(PolicyKey.OFF_REMOTE_ID)).isEqualTo(0x0A0B0C0D);
        assertThat(buf.get(PolicyKey.OFF_DIRECTION)).isEqualTo((byte) 1);
        assertThat(buf.get(PolicyKey.OFF_PROTOCOL)).isEqualTo((byte) 6);
        assertThat(bytes(buf, PolicyKey.OFF_DPORT, 2)).containsExactly(0x1F, 0x90);

        ByteBuffer sock = encode(SockKey.CODEC, new SockKey(ip("10.0.0.1"), ip("192.168.1.2"), 40000, 443));
        assertThat(bytes(sock, SockKey.OFF_SIP, 4)).containsExactly(10, 0, 0, 1);
        assertThat(bytes(sock, SockKey.OFF_DIP, 4)).containsExactly(192, 168, 1, 2);
        assertThat(bytes(sock, SockKey.OFF_SPORT, 2)).containsExactly(0x9C, 0x40);
        assertThat(bytes(sock, SockKey.OFF_DPORT, 2)).containsExactly(0x01, 0xBB);
    }

    @Test
    void everyMirrorRoundTrips() throws Exception {
        roundTrip(Ipv4PrefixKey.CODEC, new Ipv4PrefixKey(24, ip("10.1.2.0")));
        roundTrip(IpcacheValue.CODEC, IpcacheValue.localEndpoint(4242));
        roundTrip(PolicyKey.CODEC, PolicyKey.anyPort(1, 2, TrafficDirection.INGRESS, 17));
        roundTrip(PolicyValue.CODEC, PolicyValue.proxy(15001, 77));
        roundTrip(CtKey.CODEC, new CtKey(ip("10.0.0.1"), ip("10.0.0.2"), 1234, 80, 6, TrafficDirection.EGRESS));
        roundTrip(CtValue.CODEC, new CtValue(123_456_789L, 10, 1500, 300, CtValue.FLAG_PROXY, 15001));
        roundTrip(SockKey.CODEC, new SockKey(ip("127.0.0.1"), ip("127.0.0.2"), 1, 65535));
        roundTrip(OrigDstValue.CODEC, new OrigDstValue(ip("10.0.0.9"), 9092, 256));
        roundTrip(PrefilterHashKey.CODEC, new PrefilterHashKey(ip("198.51.100.7")));
        roundTrip(Ipv4PrefixKey.CODEC, new Ipv4PrefixKey(8, ip("10.0.0.0")));
        roundTrip(PrefilterValue.CODEC, new PrefilterValue(Long.MAX_VALUE));
        roundTrip(DropCounter.CODEC, new DropCounter(3, 180));
    }

    @Test
    void paddingIsWrittenAsZero() throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(OrigDstValue.SIZE).order(ByteOrder.nativeOrder());
        buf.put(new byte[] {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1}).flip();
        new OrigDstValue(ip("10.0.0.9"), 80, 1).encode(buf);

        assertThat(bytes(buf, OrigDstValue.OFF_PAD, 2)).containsExactly(0, 0);
    }

    @Test
    void lpmKeysClearTheBitsBeyondTheirPrefix() throws Exception {
        assertThat(new Ipv4PrefixKey(20, ip("203.0.113.77")).addr()).isEqualTo(ip("203.0.112.0"));
        assertThat(new Ipv4PrefixKey(0, ip("1.2.3.4")).addr()).isEqualTo(ip("0.0.0.0"));
        assertThat(PolicyKey.anyProtocol(1, 2, TrafficDirection.EGRESS))
                .isEqualTo(new PolicyKey(72, 1, 2, TrafficDirection.EGRESS, 6, 443));
    }

    @Test
    void portRangesSplitIntoAlignedBlocks() {
        assertThat(ranges(8000, 8080)).containsExactly("8000/90", "8064/92", "8080/96");
        assertThat(ranges(80, 80)).containsExactly("80/96");
        assertThat(ranges(0, 65535)).containsExactly("0/80");
        assertThat(ranges(1024, 65535)).containsExactly("1024/86", "2048/85", "4096/84", "8192/83", "16384/82",
                "32768/81");
        assertThat(ranges(1, 65534)).hasSize(30);
        assertThatThrownBy(() -> ranges(10, 9)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void invalidFieldsAreRejectedBeforeTheKernelSeesThem() throws Exception {
        assertThatThrownBy(() -> new Ipv4PrefixKey(33, ip("10.0.0.0"))).hasMessageContaining("prefix length");
        assertThatThrownBy(() -> PolicyKey.port(1, 2, TrafficDirection.EGRESS, 6, 70000)).hasMessageContaining("port");
        assertThatThrownBy(() -> new PolicyValue(PolicyVerdict.PROXY, 0, 1)).hasMessageContaining("proxy port");
        ByteBuffer bigEndian = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN
                ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        assertThatThrownBy(() -> new PrefilterValue(1).encode(bigEndian)).hasMessageContaining("native byte order");
    }

    private static List<String> ranges(int from, int to) {
        return PolicyKey.portRange(1, 2, TrafficDirection.INGRESS, 6, from, to).stream()
                .map(k -> k.dport() + "/" + k.prefixLen()).toList();
    }

    private static <T> void roundTrip(StructCodec<T> codec, T value) {
        ByteBuffer buf = encode(codec, value);
        assertThat(codec.decode(buf)).isEqualTo(value);
        assertThat(buf.position()).isEqualTo(codec.size());
    }

    private static <T> ByteBuffer encode(StructCodec<T> codec, T value) {
        ByteBuffer buf = ByteBuffer.allocate(codec.size()).order(ByteOrder.nativeOrder());
        codec.encode(value, buf);
        assertThat(buf.position()).isEqualTo(codec.size());
        return buf.flip();
    }

    private static int[] bytes(ByteBuffer buf, int offset, int length) {
        int[] out = new int[length];
        for (int i = 0; i < length; i++) {
            out[i] = buf.get(offset + i) & 0xFF;
        }
        return out;
    }

    private static Inet4Address ip(String dotted) throws Exception {
        return (Inet4Address) InetAddress.getByName(dotted);
    }
}
