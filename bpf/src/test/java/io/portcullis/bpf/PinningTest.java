package io.portcullis.bpf;

import static io.portcullis.bpf.XdpPrefilterTest.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.portcullis.bpf.maps.DropCounter;
import io.portcullis.bpf.maps.DropReason;
import io.portcullis.bpf.maps.IpcacheValue;
import io.portcullis.bpf.maps.Ipv4PrefixKey;
import io.portcullis.bpf.maps.MapNames;
import io.portcullis.bpf.maps.PrefilterHashKey;
import io.portcullis.bpf.maps.PrefilterValue;
import io.portcullis.bpf.maps.StructCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Maps pinned on bpffs outlive their object and are shared between objects by name. */
class PinningTest {
    @RegisterExtension
    final TestPins pins = TestPins.perTest("pins maps on bpffs");

    @Test
    void pinnedByNameMapOutlivesItsObjectAndReopensWithBpfObjGet() throws Exception {
        Path pinned = pins.dir().resolve(MapNames.IPCACHE);
        try (BpfObject lxc = DatapathObject.LXC.open(pins.dir())) {
            assertThat(lxc.pinPath(MapNames.IPCACHE)).contains(pinned);
            lxc.load();
            lxc.map(MapNames.IPCACHE, Ipv4PrefixKey.CODEC, IpcacheValue.CODEC)
                    .put(new Ipv4PrefixKey(32, ip("10.1.0.1")), IpcacheValue.localEndpoint(1000));
        }
        assertThat(Files.exists(pinned)).isTrue();

        try (BpfMap<Ipv4PrefixKey, IpcacheValue> ipcache = BpfMap.openPinned(pinned, Ipv4PrefixKey.CODEC, IpcacheValue.CODEC)) {
            assertThat(ipcache.entries()).containsExactly(
                    Map.entry(new Ipv4PrefixKey(32, ip("10.1.0.1")), IpcacheValue.localEndpoint(1000)));
            assertThat(ipcache.info().maxEntries()).isEqualTo(262_144);
        }

        // A reload re-adopts the pinned map with its contents: the agent-restart path.
        try (BpfObject again = DatapathObject.LXC.open(pins.dir()).load()) {
            assertThat(again.map(MapNames.IPCACHE, Ipv4PrefixKey.CODEC, IpcacheValue.CODEC)
                    .lookup(new Ipv4PrefixKey(32, ip("10.1.0.1")))).contains(IpcacheValue.localEndpoint(1000));
        }
    }

    @Test
    void objectsShareTheDropCountersThroughThePin() {
        try (BpfObject xdp = DatapathObject.XDP.open(pins.dir()).load();
                BpfObject lxc = DatapathObject.LXC.open(pins.dir()).load()) {
            BpfMap<Integer, DropCounter> lxcDrops = lxc.map(MapNames.DROPS, StructCodec.U32, DropCounter.CODEC);
            assertThat(lxcDrops.info().id()).isEqualTo(xdp.map(MapNames.DROPS, StructCodec.U32, DropCounter.CODEC).info().id());

            assertThat(lxc.program("lxc_from_endpoint").testRun(TestRun.of(Packets.ipv6())).retval()).isEqualTo(2);
            assertThat(DropCounter.sum(lxcDrops.lookupPerCpu(DropReason.UNSUPPORTED_L3.code()).orElseThrow()).packets())
                    .isEqualTo(1);
        }
    }

    @Test
    void explicitPinAndUnpinOfAMap() throws Exception {
        Path pin = pins.dir().resolve("prefilter-copy");
        try (BpfObject xdp = DatapathObject.XDP.open(pins.dir()).load()) {
            BpfMap<PrefilterHashKey, PrefilterValue> hosts =
                    xdp.map(MapNames.PREFILTER_HASH, PrefilterHashKey.CODEC, PrefilterValue.CODEC);
            hosts.put(new PrefilterHashKey(ip("198.51.100.1")), PrefilterValue.NEW);
            hosts.pin(pin);
        }
        try (BpfMap<PrefilterHashKey, PrefilterValue> reopened =
                BpfMap.openPinned(pin, PrefilterHashKey.CODEC, PrefilterValue.CODEC)) {
            assertThat(reopened.keys()).containsExactly(new PrefilterHashKey(ip("198.51.100.1")));
            assertThat(reopened.delete(new PrefilterHashKey(ip("198.51.100.1")))).isTrue();
            assertThat(reopened.delete(new PrefilterHashKey(ip("198.51.100.1")))).isFalse();
        }
        Files.delete(pin); // unpinning is unlinking the bpffs file

        BpfException gone = assertThrows(BpfException.class,
                () -> BpfMap.openPinned(pin, PrefilterHashKey.CODEC, PrefilterValue.CODEC));
        assertThat(gone.isNotFound()).isTrue();
        assertThat(gone.function()).isEqualTo("bpf_obj_get");
    }

    @Test
    void objectPinMapsAndUnpinMaps() throws Exception {
        Path extra = pins.dir().resolve("all");
        try (BpfObject xdp = DatapathObject.XDP.open(pins.dir())) {
            xdp.setPinPath(MapNames.PREFILTER_LPM, extra.resolve("lpm-here"));
            xdp.load();
            assertThat(Files.exists(extra.resolve("lpm-here"))).isTrue();
            xdp.unpinMaps(null);
            assertThat(Files.exists(extra.resolve("lpm-here"))).isFalse();
            assertThat(Files.exists(pins.dir().resolve(MapNames.DROPS))).isFalse();

            xdp.pinMaps(null);
            assertThat(Files.exists(pins.dir().resolve(MapNames.DROPS))).isTrue();
        }
    }

    @Test
    void aCodecOfTheWrongSizeIsRefused() {
        try (BpfObject xdp = DatapathObject.XDP.open(pins.dir()).load()) {
            assertThatThrownBy(() -> xdp.map(MapNames.PREFILTER_HASH, Ipv4PrefixKey.CODEC, PrefilterValue.CODEC))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("key/value sizes 4/8 bytes but the codecs expect 8/8");
        }
    }
}
