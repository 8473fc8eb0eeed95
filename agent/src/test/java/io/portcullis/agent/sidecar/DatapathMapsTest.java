package io.portcullis.agent.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.bpf.lb.LbAlgorithm;
import io.portcullis.bpf.lb.LbService;
import io.portcullis.bpf.lb.LoadBalancer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DatapathMapsTest {
    @Test
    void lbListsOneRowPerBackendAndAFrontendWithoutBackendsAsNone() {
        LbService web = Services.tcp("10.96.77.10:80", "10.241.0.3:8080", "10.241.0.4:8080");
        LbService maglev = new LbService(web.frontend(), web.backends(), LbAlgorithm.MAGLEV);
        List<Map<String, Object>> rows = DatapathMaps.loadBalancerRows(List.of(
                new LoadBalancer.Entry(1, maglev, List.of(7, 9)),
                new LoadBalancer.Entry(2, Services.tcp("10.96.77.11:80"), List.of())));

        assertThat(rows).hasSize(3);
        assertThat(rows.get(0)).containsExactly(Map.entry("serviceId", 1), Map.entry("frontend", "10.96.77.10:80/tcp"),
                Map.entry("algorithm", "maglev"), Map.entry("backendId", 7), Map.entry("backend", "10.241.0.3:8080"));
        assertThat(rows.get(1)).containsEntry("backendId", 9).containsEntry("backend", "10.241.0.4:8080");
        assertThat(rows.get(2)).containsEntry("serviceId", 2).containsEntry("frontend", "10.96.77.11:80/tcp")
                .containsEntry("backendId", null).containsEntry("backend", "none");
    }

    @Test
    void lbWithoutTheLoadBalancerSaysWhy() {
        assertThatThrownBy(() -> new DatapathMaps(Path.of("/nonexistent"), Optional.empty()).list("lb"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("services need datapath: bpf");
    }
}
