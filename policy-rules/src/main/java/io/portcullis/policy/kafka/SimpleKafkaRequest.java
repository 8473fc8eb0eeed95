package io.portcullis.policy.kafka;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A Kafka request as plain values, for explanations and tests.
 *
 * @param topics the topic names, or null when they cannot be known (see {@link KafkaRequestView#topics()})
 */
public record SimpleKafkaRequest(int apiKey, int apiVersion, String clientId, Set<String> topics)
        implements KafkaRequestView {
    public SimpleKafkaRequest {
        topics = topics == null ? null : Collections.unmodifiableSet(new LinkedHashSet<>(topics));
    }
}
