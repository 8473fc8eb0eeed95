package io.portcullis.agent.metrics;

import io.portcullis.bpf.MapFill;
import java.util.List;
import java.util.Map;

/**
 * The kernel datapath's numbers at one moment; empty where that part of the datapath is not
 * running.
 *
 * @param traffic        packets per direction, dropped per reason or forwarded
 * @param mapFills       the fill of every pinned map that has one (arrays have none)
 * @param prefilterDrops packets the uplink prefilter dropped per blocked prefix
 */
public record DatapathReadings(List<Traffic> traffic, List<MapFill> mapFills, Map<String, Long> prefilterDrops) {
    public static final DatapathReadings NONE = new DatapathReadings(List.of(), List.of(), Map.of());

    public DatapathReadings {
        traffic = List.copyOf(traffic);
        mapFills = List.copyOf(mapFills);
        prefilterDrops = Map.copyOf(prefilterDrops);
    }

    /**
     * @param direction {@code INGRESS} or {@code EGRESS}
     * @param reason    a drop reason's label (as in {@code bpf drops list}), or {@link #FORWARDED}
     * @param packets   packets counted
     */
    public record Traffic(String direction, String reason, long packets) {
        public static final String FORWARDED = "forwarded";

        public boolean forwarded() {
            return FORWARDED.equals(reason);
        }
    }
}
