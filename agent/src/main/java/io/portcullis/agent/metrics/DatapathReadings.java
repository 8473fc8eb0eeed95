package io.portcullis.agent.metrics;

import io.portcullis.bpf.MapFill;
import java.util.List;
import java.util.Map;

/**
 * The kernel datapath's numbers at one moment; empty lists where that part of the datapath is not
 * running.
 *
 * @param drops         packets dropped per reason label (the reason's label of {@code bpf drops list})
 * @param mapFills      the fill of every pinned map that has one (arrays have none)
 * @param prefilterDrops packets the uplink prefilter dropped per blocked prefix
 */
public record DatapathReadings(Map<String, Long> drops, List<MapFill> mapFills, Map<String, Long> prefilterDrops) {
    public static final DatapathReadings NONE = new DatapathReadings(Map.of(), List.of(), Map.of());

    public DatapathReadings {
        drops = Map.copyOf(drops);
        mapFills = List.copyOf(mapFills);
        prefilterDrops = Map.copyOf(prefilterDrops);
    }
}
