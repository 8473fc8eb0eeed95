package io.portcullis.agent.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlowFilterTest {
    private static final FlowRecord L7_DENIED = new FlowRecord("{\"time\":\"2026-12-05T17:00:00Z\",\"type\":\"response\","
            + "\"verdict\":\"denied\",\"l7Protocol\":\"http\",\"source\":{\"identity\":256,\"labels\":"
            + "{\"k8s:app\":\"web\"},\"port\":41000},\"destination\":{\"identity\":257,\"labels\":{\"k8s:app\":\"api\"},"
            + "\"port\":8080},\"http\":{\"method\":\"GET\",\"url\":\"/private\",\"code\":403}}");
    private static final FlowRecord KERNEL_DROP = new FlowRecord("{\"time\":\"2026-12-05T17:00:01Z\",\"type\":\"l3l4\","
            + "\"verdict\":\"dropped\",\"l7Protocol\":null,\"l4Protocol\":\"udp\",\"source\":{\"identity\":256,\"labels\":"
            + "{\"k8s:app\":\"web\"},\"port\":5000},\"destination\":{\"identity\":2,\"labels\":{\"reserved:world\":\"\"},"
            + "\"port\":53},\"reason\":\"policy denied\"}");
    private static final FlowRecord LOST = new FlowRecord("{\"lost\":3}");

    private static FlowFilter filter(String name, String... values) {
        return FlowFilter.of(Map.of(name, List.of(values)));
    }

    @Test
    void verdictsMatchTheirRecordsAndSeveralValuesAreAlternatives() {
        assertThat(filter("verdict", "denied")).accepts(L7_DENIED).rejects(KERNEL_DROP);
        assertThat(filter("verdict", "dropped")).accepts(KERNEL_DROP).rejects(L7_DENIED);
        assertThat(filter("verdict", "dropped", "denied")).accepts(KERNEL_DROP, L7_DENIED);
    }

    @Test
    void protocolTcpMatchesL7RecordsAndUdpOnlyTheKernelsUdpFlows() {
        assertThat(filter("protocol", "http")).accepts(L7_DENIED).rejects(KERNEL_DROP);
        assertThat(filter("protocol", "tcp")).accepts(L7_DENIED).rejects(KERNEL_DROP);
        assertThat(filter("protocol", "udp")).accepts(KERNEL_DROP).rejects(L7_DENIED);
        assertThat(filter("protocol", "kafka")).rejects(L7_DENIED, KERNEL_DROP);
    }

    @Test
    void labelsMatchWithOrWithoutTheirSourceAndIdentitiesAndPortsByNumber() {
        assertThat(filter("from-label", "app=web")).accepts(L7_DENIED, KERNEL_DROP);
        assertThat(filter("to-label", "k8s:app=api")).accepts(L7_DENIED).rejects(KERNEL_DROP);
        assertThat(filter("to-label", "reserved:world")).accepts(KERNEL_DROP).rejects(L7_DENIED);
        assertThat(filter("to-label", "app=web")).rejects(L7_DENIED, KERNEL_DROP);
        assertThat(filter("to-identity", "2")).accepts(KERNEL_DROP).rejects(L7_DENIED);
        assertThat(filter("from-identity", "256")).accepts(KERNEL_DROP, L7_DENIED);
        assertThat(filter("port", "53")).accepts(KERNEL_DROP).rejects(L7_DENIED);
        assertThat(filter("port", "41000")).accepts(L7_DENIED).rejects(KERNEL_DROP);
    }

    @Test
    void httpStatusMatchesACodeOrAClass() {
        assertThat(filter("http-status", "403")).accepts(L7_DENIED).rejects(KERNEL_DROP);
        assertThat(filter("http-status", "4+")).accepts(L7_DENIED);
        assertThat(filter("http-status", "5+")).rejects(L7_DENIED);
    }

    @Test
    void differentFiltersMustAllMatchAndLostCountsPassEveryFilter() {
        FlowFilter both = FlowFilter.of(Map.of("verdict", List.of("dropped"), "port", List.of("8080")));
        assertThat(both).rejects(KERNEL_DROP, L7_DENIED).accepts(LOST);
    }

    @Test
    void unknownValuesAreErrorsListingTheValidOnes() {
        assertThatThrownBy(() -> filter("verdict", "blocked")).hasMessage(
                "unknown verdict 'blocked'; valid values: forwarded, audit, denied, dropped, error");
        assertThatThrownBy(() -> filter("protocol", "sctp")).hasMessage(
                "unknown protocol 'sctp'; valid values: http, grpc, kafka, tcp, udp");
        assertThatThrownBy(() -> filter("port", "http")).hasMessageContaining("expected a port 1..65535");
        assertThatThrownBy(() -> filter("http-status", "600")).hasMessageContaining("a status 100..599 or a class");
        assertThatThrownBy(() -> filter("from-identity", "web")).hasMessageContaining("a numeric identity");
        assertThatThrownBy(() -> filter("from-label", "=web")).hasMessageContaining("KEY=VALUE");
    }
}
