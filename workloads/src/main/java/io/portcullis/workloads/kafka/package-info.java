/**
 * A real one-node KRaft Kafka broker: {@link io.portcullis.workloads.kafka.KafkaBroker} in the
 * calling JVM (tests), and {@link io.portcullis.workloads.kafka.KafkaBrokerMain} as its own JVM
 * inside an endpoint (the demo, the transparent-steering tests). Topics exist only when created;
 * everything the broker writes lives in a temporary directory removed when it stops.
 */
package io.portcullis.workloads.kafka;
