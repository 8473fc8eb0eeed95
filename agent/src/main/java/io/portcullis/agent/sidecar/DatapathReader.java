package io.portcullis.agent.sidecar;

import io.portcullis.agent.metrics.DatapathReadings;
import io.portcullis.bpf.BpfFs;
import io.portcullis.bpf.sidecar.Prefilter;
import java.util.LinkedHashMap;
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
        return new DatapathReadings(maps.dropsByReason(), maps.fills(), prefixes);
    }
}
