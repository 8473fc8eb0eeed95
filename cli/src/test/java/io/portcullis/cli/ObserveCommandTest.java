package io.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ObserveCommandTest {
    private static String path(String... args) {
        ObserveCommand command = new ObserveCommand();
        command.clock = Clock.fixed(Instant.parse("2026-12-05T17:00:00Z"), ZoneOffset.UTC);
        new CommandLine(command).parseArgs(args);
        return command.path();
    }

    @Test
    void filtersBecomeTheAgentsQueryAndWithoutHistoryOptionsItFollowsNewFlowsOnly() {
        assertThat(path()).isEqualTo("/v1/observe?last=0&follow=true");
        assertThat(path("-f")).isEqualTo("/v1/observe?last=0&follow=true");
        assertThat(path("--verdict", "dropped", "--verdict", "denied", "--from-label", "app=web", "--last", "5"))
                .isEqualTo("/v1/observe?verdict=dropped&verdict=denied&from-label=app%3Dweb&last=5");
        assertThat(path("--since", "5m", "--protocol", "udp", "--port", "53", "-f"))
                .isEqualTo("/v1/observe?protocol=udp&port=53&since=2026-12-05T16%3A55%3A00Z&follow=true");
        assertThat(path("--to-identity", "2", "--http-status", "5+", "--since", "2026-12-05T16:00:00Z"))
                .isEqualTo("/v1/observe?to-identity=2&http-status=5%2B&since=2026-12-05T16%3A00%3A00Z");
    }

    @Test
    void unknownValuesAreUsageErrorsListingTheValidOnes() {
        CliRun verdict = CliRun.of("observe", "--verdict", "blocked", "--socket", "/nonexistent");
        assertThat(verdict.exitCode()).isEqualTo(2);
        assertThat(verdict.err()).contains("unknown verdict 'blocked'; valid values: forwarded, audit, denied, "
                + "dropped, error");
        assertThat(CliRun.of("observe", "--protocol", "icmp").err())
                .contains("unknown protocol 'icmp'; valid values: http, grpc, kafka, tcp, udp");
        assertThat(CliRun.of("observe", "-o", "yaml").err())
                .contains("unknown output format 'yaml'; valid values: json, compact, table");
        assertThat(CliRun.of("observe", "--since", "yesterday").err()).contains("--since 'yesterday'");
        assertThat(CliRun.of("observe", "--last", "0").err()).contains("expected a positive number");
    }

    @Test
    void compactAndTableLinesShowTheFlowAndLostCountsSayWhy() {
        String drop = "{\"time\":\"2026-12-05T17:00:01Z\",\"type\":\"l3l4\",\"verdict\":\"dropped\",\"l7Protocol\":null,"
                + "\"l4Protocol\":\"udp\",\"source\":{\"identity\":256,\"endpoint\":\"web\",\"ip\":\"10.0.0.5\","
                + "\"port\":5000},\"destination\":{\"identity\":2,\"endpoint\":null,\"ip\":\"192.0.2.9\",\"port\":53},"
                + "\"reason\":\"policy denied\"}";
        assertThat(new FlowFormat("compact").line(drop)).isEqualTo("2026-12-05T17:00:01Z dropped   l3l4     "
                + "web(10.0.0.5:5000) -> identity 2(192.0.2.9:53) udp (policy denied)");
        assertThat(new FlowFormat("table").header()).get().asString().startsWith("TIME");
        assertThat(new FlowFormat("table").line(drop)).contains("dropped").contains("(policy denied)");
        assertThat(new FlowFormat("json").line(drop)).isEqualTo(drop);
        assertThat(new FlowFormat("compact").line("{\"lost\":4,\"reason\":\"datapath rate limit\"}"))
                .isEqualTo("... 4 flows lost (datapath rate limit)");
    }
}
