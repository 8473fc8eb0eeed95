package io.portcullis.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.bpf.MapFill;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AgentMetricsTest {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final AtomicReference<NodeCounts> node = new AtomicReference<>(new NodeCounts(7, 3, 5, 4));
    private final AtomicReference<DatapathReadings> datapath = new AtomicReference<>(DatapathReadings.NONE);
    private final AgentMetrics metrics = new AgentMetrics(registry, node::get, datapath::get);

    private String scrape() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theNodesCountsAreReadAtEachScrape() throws Exception {
        assertThat(scrape()).contains("portcullis_policy 3.0").contains("portcullis_policy_revision 7.0")
                .contains("portcullis_identity 5.0").contains("portcullis_endpoint 4.0");
        node.set(new NodeCounts(8, 2, 5, 4));

        assertThat(scrape()).contains("portcullis_policy 2.0").contains("portcullis_policy_revision 8.0");
    }

    @Test
    void withoutAKernelDatapathThereAreNoDatapathSeries() throws Exception {
        assertThat(scrape()).doesNotContain("portcullis_drop_count_total{").doesNotContain("portcullis_bpf_map_pressure{");
    }

    @Test
    void datapathDropsForwardsPrefilterCountsMapFillAndBackendConnectionsAreReported() throws Exception {
        datapath.set(new DatapathReadings(List.of(new DatapathReadings.Traffic("INGRESS", "prefilter", 4),
                new DatapathReadings.Traffic("EGRESS", "policy denied", 2),
                new DatapathReadings.Traffic("EGRESS", DatapathReadings.Traffic.FORWARDED, 9)),
                List.of(new MapFill("portcullis_ct_v1", 16, 64)), Map.of("198.19.1.0/28", 4L),
                List.of(new DatapathReadings.BackendConnections("10.96.0.10:80", "10.200.0.5:8080", 3))));

        assertThat(scrape())
                .contains("portcullis_drop_count_total{direction=\"INGRESS\",reason=\"prefilter\"} 4.0")
                .contains("portcullis_drop_count_total{direction=\"EGRESS\",reason=\"policy denied\"} 2.0")
                .contains("portcullis_forward_count_total{direction=\"EGRESS\"} 9.0")
                .contains("portcullis_prefilter_drop_count_total{prefix=\"198.19.1.0/28\"} 4.0")
                .contains("portcullis_bpf_map_pressure{map_name=\"portcullis_ct_v1\"} 0.25")
                .contains("portcullis_service_backend_connections{backend=\"10.200.0.5:8080\",frontend=\"10.96.0.10:80\"} 3.0");
    }

    @Test
    void packetsAuditModeLetThroughAreAnAuditVerdictOfTheDatapath() throws Exception {
        datapath.set(new DatapathReadings(List.of(new DatapathReadings.Traffic("INGRESS", "forwarded", 7),
                new DatapathReadings.Traffic("INGRESS", DatapathReadings.Traffic.AUDIT, 3)), List.of(), Map.of(),
                List.of()));

        assertThat(scrape())
                .contains("portcullis_policy_verdicts_total{action=\"audit\",direction=\"ingress\","
                        + "match=\"l3-l4\"} 3.0")
                .contains("portcullis_forward_count_total{direction=\"INGRESS\"} 7.0")
                .doesNotContain("reason=\"audit\"");
    }

    @Test
    void implementationDelaysAreAHistogram() throws Exception {
        metrics.policyImplemented(3_000_000L);

        assertThat(scrape()).contains("portcullis_policy_implementation_delay_seconds_count 1")
                .contains("portcullis_policy_implementation_delay_seconds_bucket{le=\"0.005\"} 1");
    }
}
