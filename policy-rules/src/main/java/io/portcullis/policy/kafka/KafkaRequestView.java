package io.portcullis.policy.kafka;

import java.util.Set;

/**
 * What a Kafka rule may read of a request.
 *
 * <p>{@link #topics()} is the expensive part (the proxy decodes the request body for it), so the
 * decision calls it only when the outcome depends on it: when no rule without a {@code topic}
 * already allows the request and some rule with one matches its header. Implementations should
 * compute it once and cache it.
 */
public interface KafkaRequestView {
    /** The API key on the wire (0 = Produce, 1 = Fetch, ...). */
    int apiKey();

    int apiVersion();

    /** The header's client id; null when the client sent none. */
    String clientId();

    /**
     * The names of the topics the request acts on: empty when it names none (ApiVersions,
     * FindCoordinator, a Metadata request for brokers only); null when the names cannot be
     * known: the request addresses all topics, names topics by ID only, continues a fetch
     * session, or is of an API whose topics the proxy does not extract. A null set can only be
     * allowed by a rule without a {@code topic} (fail closed).
     */
    Set<String> topics();
}
