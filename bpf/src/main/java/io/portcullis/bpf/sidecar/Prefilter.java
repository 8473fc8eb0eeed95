package io.portcullis.bpf.sidecar;

import io.portcullis.bpf.BpfException;
import io.portcullis.bpf.BpfMap;
import io.portcullis.bpf.BpfObject;
import io.portcullis.bpf.DatapathObject;
import io.portcullis.bpf.XdpAttachment;
import io.portcullis.bpf.XdpMode;
import io.portcullis.bpf.maps.Ipv4PrefixKey;
import io.portcullis.bpf.maps.MapNames;
import io.portcullis.bpf.maps.PrefilterHashKey;
import io.portcullis.bpf.maps.PrefilterValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The XDP CIDR prefilter: bpf_xdp loaded with its maps pinned (re-adopted with their entries and
 * counters by the next load), attached to an uplink, and its blocked prefixes. A /32 goes into the
 * hash (one probe), anything wider into the LPM trie. Not thread-safe: the caller serialises.
 */
public final class Prefilter implements AutoCloseable {
    private static final String PROGRAM = "xdp_prefilter";

    private final BpfObject object;
    private final BpfMap<PrefilterHashKey, PrefilterValue> hosts;
    private final BpfMap<Ipv4PrefixKey, PrefilterValue> prefixes;

    /** A blocked prefix and the packets it dropped since it was added. */
    public record Entry(Cidr cidr, long drops) {
    }

    private Prefilter(BpfObject object) {
        this.object = object;
        this.hosts = object.map(MapNames.PREFILTER_HASH, PrefilterHashKey.CODEC, PrefilterValue.CODEC);
        this.prefixes = object.map(MapNames.PREFILTER_LPM, Ipv4PrefixKey.CODEC, PrefilterValue.CODEC);
    }

    /** Loads bpf_xdp with its maps pinned under pinRoot. */
    public static Prefilter load(Path pinRoot) {
        BpfObject object = DatapathObject.XDP.open(pinRoot);
        try {
            return new Prefilter(object.load());
        } catch (RuntimeException e) {
            object.close();
            throw e;
        }
    }

    /**
     * Attaches to ifindex (calling thread's namespace) in native mode when the driver supports it,
     * else in generic mode, replacing the prefilter a previous agent attached.
     */
    public XdpAttachment attach(int ifindex) {
        try {
            return object.program(PROGRAM).attachXdp(ifindex, XdpMode.NATIVE);
        } catch (BpfException nativeRefused) {
            return object.program(PROGRAM).attachXdp(ifindex, XdpMode.GENERIC);
        }
    }

    /** Blocks the prefix; an existing entry keeps its drop count. True when it was new. */
    public boolean add(Cidr cidr) {
        return cidr.isHost() ? hosts.putIfAbsent(new PrefilterHashKey(cidr.address()), PrefilterValue.NEW)
                : prefixes.putIfAbsent(new Ipv4PrefixKey(cidr.prefixLen(), cidr.address()), PrefilterValue.NEW);
    }

    /** Unblocks the prefix; false when it was not blocked. */
    public boolean delete(Cidr cidr) {
        return cidr.isHost() ? hosts.delete(new PrefilterHashKey(cidr.address()))
                : prefixes.delete(new Ipv4PrefixKey(cidr.prefixLen(), cidr.address()));
    }

    /** Every blocked prefix with its drop count, widest first, then by address. */
    public List<Entry> list() {
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<Ipv4PrefixKey, PrefilterValue> e : prefixes.entries().entrySet()) {
            entries.add(new Entry(new Cidr(e.getKey().addr(), e.getKey().prefixLen()), e.getValue().drops()));
        }
        for (Map.Entry<PrefilterHashKey, PrefilterValue> e : hosts.entries().entrySet()) {
            entries.add(new Entry(new Cidr(e.getKey().addr(), 32), e.getValue().drops()));
        }
        entries.sort(Comparator.comparingInt((Entry e) -> e.cidr().prefixLen())
                .thenComparingLong(e -> Integer.toUnsignedLong(Cidr.toInt(e.cidr().address()))));
        return entries;
    }

    @Override
    public void close() {
        object.close();
    }
}
