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
 * @param backends       live north-south connections per service backend
 */
public record DatapathReadings(List<Traffic> traffic, List<MapFill> mapFills, Map<String, Long> prefilterDrops,
                               List<BackendConnections> backends) {
    public static final DatapathReadings NONE = new DatapathReadings(List.of(), List.of(), Map.of(), List.of());

    public DatapathReadings {
        traffic = List.copyOf(traffic);
        mapFills = List.copyOf(mapFills);
        prefilterDrops = Map.copyOf(prefilterDrops);
        backends = List.copyOf(backends);
    }

    /**
     * @param frontend    the service's frontend, {@code IP:PORT}
     * @param backend     the backend, {@code IP:PORT}
     * @param connections live flows the load balancer sent there
     */
    public record BackendConnections(String frontend, String backend, long connections) {
    }

    /**
     * @param direction {@code INGRESS} or {@code EGRESS}
     * @param reason    a drop reason's label (as in {@code bpf drops list}), {@link #FORWARDED}, or
     *                  {@link #AUDIT} for the forwarded packets policy denies and audit mode let through
     * @param packets   packets counted
     */
    public record Traffic(String direction, String reason, long packets) {
        public static final String FORWARDED = "forwarded";
        public static final String AUDIT = "audit";

        public boolean forwarded() {
            return FORWARDED.equals(reason);
        }

        public boolean audited() {
            return AUDIT.equals(reason);
        }
    }
}
