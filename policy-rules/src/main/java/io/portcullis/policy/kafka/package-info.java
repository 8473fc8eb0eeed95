/**
 * The view of a Kafka request that {@code rules.kafka} read
 * ({@link io.portcullis.policy.kafka.KafkaRequestView}): the header fields every request has, and
 * its topic names, which the proxy decodes only when a rule with a {@code topic} has to look at
 * them. Implemented by the proxy over its parsed frames; {@code SimpleKafkaRequest} is a
 * plain-value implementation for explanations and tests. No dependency on kafka-clients.
 */
package io.portcullis.policy.kafka;
