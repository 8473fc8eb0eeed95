package io.portcullis.parsers.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.DescribeAclsRequest;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every listed API at every version its kafka-clients builder produces: header fields and topics. */
class KafkaRequestTopicsTest {

    @TestFactory
    Stream<DynamicTest> topicsOfEveryApiAndVersion() {
        List<KafkaTestRequests.Case> cases = new ArrayList<>(KafkaTestRequests.topicCases());
        cases.addAll(KafkaTestRequests.topicFreeCases());
        return cases.stream().flatMap(c -> versions(c).stream().map(request ->
                dynamicTest(c.name() + " v" + request.version(), () -> assertTopics(c, request))));
    }

    private static void assertTopics(KafkaTestRequests.Case c, AbstractRequest request) {
        KafkaRequestFrame frame = KafkaTestRequests.decode(request, 4711);
        try {
            assertThat(frame.apiKey()).isEqualTo(request.apiKey());
            assertThat(frame.apiVersion()).isEqualTo(request.version());
            assertThat(frame.correlationId()).isEqualTo(4711);
            assertThat(frame.clientId()).isEqualTo(KafkaTestRequests.CLIENT_ID);
            assertThat(frame.topics()).isEqualTo(c.topics().apply(request.version()));
        } finally {
            frame.release();
        }
    }

    /** Every version the case's builder can build, newest first; versions it cannot express are skipped. */
    static List<AbstractRequest> versions(KafkaTestRequests.Case c) {
        List<AbstractRequest> requests = new ArrayList<>();
        AbstractRequest.Builder<?> probe = c.builder().apply(Short.MAX_VALUE);
        short oldest = (short) Math.max(probe.oldestAllowedVersion(), probe.apiKey().oldestVersion());
        short latest = (short) Math.min(probe.latestAllowedVersion(), probe.apiKey().latestVersion());
        for (short v = latest; v >= oldest; v--) {
            try {
                AbstractRequest request = c.builder().apply(v).build(v);
                KafkaTestRequests.wire(request, 0).release();
                requests.add(request);
            } catch (UnsupportedVersionException e) {
                // e.g. topic IDs before the version that has them
            }
        }
        assertThat(requests).as(c.name()).isNotEmpty();
        return requests;
    }

    @Test
    void apiWithTopicsThatAreNotExtractedIsUnknown() {
        AbstractRequest request = new DescribeAclsRequest.Builder(AclBindingFilter.ANY).build();
        KafkaRequestFrame frame = KafkaTestRequests.decode(request, 1);
        assertThat(frame.topics().extracted()).isFalse();
        assertThat(frame.topics()).isSameAs(KafkaTopics.UNKNOWN);
        frame.release();
    }

    @Test
    void incrementalFetchIgnoresForgottenTopicsAndFlagsTheSession() {
        AbstractRequest.Builder<?> builder = KafkaTestRequests.topicCases().get(1).builder().apply((short) 12);
        AbstractRequest request = ((org.apache.kafka.common.requests.FetchRequest.Builder) builder)
                .removed(List.of(new org.apache.kafka.common.TopicIdPartition(
                        KafkaTestRequests.PAYMENTS_ID, 0, "forgotten")))
                .metadata(org.apache.kafka.common.requests.FetchMetadata.newIncremental(7))
                .build((short) 12);
        KafkaRequestFrame frame = KafkaTestRequests.decode(request, 1);
        assertThat(frame.topics().names()).containsExactly("orders", "payments");
        assertThat(frame.topics().fetchSession()).isTrue();
        assertThat(frame.topics().isEmpty()).isFalse();
        frame.release();
    }
}
