package io.portcullis.agent.sidecar;

import io.portcullis.agent.metrics.DatapathReadings;
import io.portcullis.bpf.BpfFs;
import io.portcullis.bpf.sidecar.Prefilter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** Reads the datapath's counters and map fill for the agent's metrics, straight from bpffs. */
public final class DatapathReader implements Supplier<DatapathReadings> {
    private final DatapathMaps maps;
    private final Optional<UplinkPrefilter> prefilter;

    public DatapathReader(Optional<UplinkPrefilter> prefilter, Optional<ServiceDatapath> services) {
        this.maps = new DatapathMaps(BpfFs.PIN_ROOT, services);
        this.prefilter = prefilter;
    }

    @Override
    public DatapathReadings get() {
        Map<String, Long> prefixes = new LinkedHashMap<>();
        prefilter.ifPresent(running -> {
            for (Prefilter.Entry entry : running.list()) {
                prefixes.put(entry.cidr().toString(), entry.drops());
            }
        });
        List<DatapathReadings.Traffic> traffic = new ArrayList<>();
        for (Map<String, Object> row : maps.traffic()) {
            traffic.add(new DatapathReadings.Traffic((String) row.get("direction"), (String) row.get("reason"),
                    (Long) row.get("packets")));
        }
        List<DatapathReadings.BackendConnections> backends = new ArrayList<>();
        maps.backendConnections(System.nanoTime()).forEach((pair, connections) -> backends.add(
                new DatapathReadings.BackendConnections(pair.get(0), pair.get(1), connections)));
        return new DatapathReadings(traffic, maps.fills(), prefixes, backends);
    }
}
