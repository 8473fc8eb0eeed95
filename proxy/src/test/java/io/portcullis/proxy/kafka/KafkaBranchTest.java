package io.portcullis.proxy.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.portcullis.policy.identity.Identity;
import io.portcullis.proxy.accesslog.AccessLogEntry;
import io.portcullis.proxy.context.Endpoint;
import io.portcullis.proxy.server.ProtocolBranch.Match;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class KafkaBranchTest {
    private final KafkaBranch branch = new KafkaBranch(null, entry -> { }, io.portcullis.config.KafkaConfig.DEFAULTS);

    private Match first(int b) {
        return branch.match(Unpooled.wrappedBuffer(new byte[] {(byte) b}));
    }

    @Test
    void takesEveryFirstByteThatCannotStartHttp() {
        assertThat(first(0x00)).as("any frame under 16 MiB").isEqualTo(Match.YES);
        assertThat(first(0x06)).isEqualTo(Match.YES);
        assertThat(first(0x80)).as("negative size").isEqualTo(Match.YES);
        assertThat(first(0xff)).isEqualTo(Match.YES);
        assertThat(first('G')).isEqualTo(Match.NO);
        assertThat(first('P')).as("HTTP/2 preface").isEqualTo(Match.NO);
        assertThat(first('\r')).isEqualTo(Match.NO);
        assertThat(first('\n')).isEqualTo(Match.NO);
        assertThat(first('~')).isEqualTo(Match.NO);
    }

    @Test
    void theAccessLogCarriesTheKafkaObject() {
        InetAddress lo = InetAddress.getLoopbackAddress();
        Endpoint e = new Endpoint(Identity.WORLD, null, Identity.WORLD.labels(), lo, 1);
        AccessLogEntry.Kafka kafka = new AccessLogEntry.Kafka("Produce", 9, 42, "app", List.of("orders"), 29);
        String response = new AccessLogEntry(Instant.EPOCH, AccessLogEntry.Type.RESPONSE, AccessLogEntry.Verdict.DENIED,
                null, "kafka", e, e, null, "p", "r", 5, null, kafka).toJson();
        assertThat(response).contains("\"l7Protocol\":\"kafka\"").contains("\"kafka\":{\"apiKey\":\"Produce\","
                + "\"apiVersion\":9,\"correlationId\":42,\"clientId\":\"app\",\"topics\":[\"orders\"],\"errorCode\":29}");
        String request = new AccessLogEntry(Instant.EPOCH, AccessLogEntry.Type.REQUEST, AccessLogEntry.Verdict.DENIED,
                null, "kafka", e, e, null, "p", "r", -1, null, kafka.withErrorCode(null)).toJson();
        assertThat(request).contains("\"topics\":[\"orders\"]}").doesNotContain("errorCode");
    }
}
