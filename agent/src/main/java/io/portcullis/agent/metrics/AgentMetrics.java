package io.portcullis.agent.metrics;

import io.portcullis.bpf.MapFill;
import io.portcullis.config.MetricsConfig;
import io.portcullis.metrics.MetricsEndpoint;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The agent's metrics. Gauges and the datapath's counters are read when Prometheus scrapes
 * (one {@link NodeCounts}, one {@link DatapathReadings}), so they can never disagree with the
 * node; the policy implementation delay is observed as each new revision is applied.
 */
public final class AgentMetrics implements MultiCollector, AutoCloseable {
    private final Supplier<NodeCounts> node;
    private final Supplier<DatapathReadings> datapath;
    private final Histogram implementationDelay;
    private MetricsEndpoint endpoint;

    AgentMetrics(PrometheusRegistry registry, Supplier<NodeCounts> node, Supplier<DatapathReadings> datapath) {
        this.node = node;
        this.datapath = datapath;
        implementationDelay = Histogram.builder().name("portcullis_policy_implementation_delay_seconds")
                .help("Time from the agent reading a policy change to the datapath and the proxy feed having it")
                .classicOnly().register(registry);
        registry.register(this);
    }

    /**
     * The agent's metrics, served on {@code metrics.listen} when it is set (kept but not served
     * otherwise).
     *
     * @throws IllegalArgumentException naming {@code metrics.listen} when the address cannot be bound
     */
    public static AgentMetrics start(MetricsConfig config, Supplier<NodeCounts> node,
                                     Supplier<DatapathReadings> datapath) {
        PrometheusRegistry registry = new PrometheusRegistry();
        AgentMetrics metrics = new AgentMetrics(registry, node, datapath);
        if (config.listen() != null) {
            metrics.endpoint = MetricsEndpoint.start(config.listen(), "metrics.listen", registry);
        }
        return metrics;
    }

    @Override
    public void close() {
        if (endpoint != null) {
            endpoint.close();
        }
    }

    /** A new policy revision took {@code nanos} from its reading to its application. */
    public void policyImplemented(long nanos) {
        implementationDelay.observe(nanos / 1e9);
    }

    @Override
    public MetricSnapshots collect() {
        NodeCounts counts = node.get();
        DatapathReadings readings = datapath.get();
        List<MetricSnapshot> all = new ArrayList<>();
        all.add(gauge("portcullis_policy", "Policies in force", counts.policies()));
        all.add(gauge("portcullis_policy_revision", "The policy revision in force", counts.policyRevision()));
        all.add(gauge("portcullis_identity", "Identities allocated on the node", counts.identities()));
        all.add(gauge("portcullis_endpoint", "Endpoints on the node", counts.endpoints()));
        CounterSnapshot.Builder drops = CounterSnapshot.builder().name("portcullis_drop_count")
                .help("Packets the kernel datapath dropped, by reason and direction");
        CounterSnapshot.Builder forwards = CounterSnapshot.builder().name("portcullis_forward_count")
                .help("Packets the endpoint programs (bpf_lxc) let through, by direction");
        CounterSnapshot.Builder audits = CounterSnapshot.builder().name("portcullis_policy_verdicts")
                .help("Policy verdicts of the kernel datapath: packets policy denies that audit mode let through");
        for (DatapathReadings.Traffic traffic : readings.traffic()) {
            if (traffic.audited()) {
                audits.dataPoint(CounterDataPointSnapshot.builder().labels(Labels.of("direction",
                        traffic.direction().toLowerCase(Locale.ROOT), "match", "l3-l4", "action", "audit"))
                        .value(traffic.packets()).build());
            } else if (traffic.forwarded()) {
                forwards.dataPoint(CounterDataPointSnapshot.builder()
                        .labels(Labels.of("direction", traffic.direction())).value(traffic.packets()).build());
            } else {
                drops.dataPoint(CounterDataPointSnapshot.builder()
                        .labels(Labels.of("direction", traffic.direction(), "reason", traffic.reason()))
                        .value(traffic.packets()).build());
            }
        }
        all.add(drops.build());
        all.add(forwards.build());
        all.add(audits.build());
        CounterSnapshot.Builder prefilter = CounterSnapshot.builder().name("portcullis_prefilter_drop_count")
                .help("Packets the uplink prefilter dropped, by blocked prefix");
        new TreeMap<>(readings.prefilterDrops()).forEach((prefix, packets) -> prefilter.dataPoint(
                CounterDataPointSnapshot.builder().labels(Labels.of("prefix", prefix)).value(packets).build()));
        all.add(prefilter.build());
        GaugeSnapshot.Builder pressure = GaugeSnapshot.builder().name("portcullis_bpf_map_pressure")
                .help("Fill of each pinned BPF map: entries over capacity (arrays, always full, are left out)");
        for (MapFill fill : readings.mapFills()) {
            pressure.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("map_name", fill.name()))
                    .value(fill.pressure()).build());
        }
        all.add(pressure.build());
        GaugeSnapshot.Builder backends = GaugeSnapshot.builder().name("portcullis_service_backend_connections")
                .help("Live north-south connections the load balancer sent to each service backend");
        for (DatapathReadings.BackendConnections backend : readings.backends()) {
            backends.dataPoint(GaugeDataPointSnapshot.builder()
                    .labels(Labels.of("frontend", backend.frontend(), "backend", backend.backend()))
                    .value(backend.connections()).build());
        }
        all.add(backends.build());
        return new MetricSnapshots(all);
    }

    private static GaugeSnapshot gauge(String name, String help, double value) {
        return GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeDataPointSnapshot.builder().value(value).build()).build();
    }

    @Override
    public List<String> getPrometheusNames() {
        return List.of("portcullis_policy", "portcullis_policy_revision", "portcullis_identity", "portcullis_endpoint",
                "portcullis_drop_count", "portcullis_forward_count", "portcullis_policy_verdicts",
                "portcullis_prefilter_drop_count",
                "portcullis_bpf_map_pressure", "portcullis_service_backend_connections");
    }
}
