/**
 * The Kafka protocol layer of the proxy: framing, request headers, topics, deny responses. No
 * policy logic here.
 *
 * <p>Contract, after Kroxylicious' decoder: {@link io.portcullis.parsers.kafka.KafkaFrameDecoder}
 * cuts the stream into {@link io.portcullis.parsers.kafka.KafkaRequestFrame}s (size limit checked
 * before buffering; header parsed for every API and version kafka-clients knows; body untouched).
 * A frame is forwarded by writing its {@code content()}, the unchanged wire bytes. Only when a rule
 * needs them is the body parsed, once, with kafka-clients' generated readers:
 * {@link io.portcullis.parsers.kafka.KafkaRequestFrame#topics()} gives the topics as
 * {@link io.portcullis.parsers.kafka.KafkaTopics} (names, topic IDs, "all topics", or "unknown" for
 * APIs whose topics are not extracted). A request is refused with
 * {@link io.portcullis.parsers.kafka.KafkaErrorResponses#deny}, a complete response frame carrying
 * the authorization error, or null when the client expects no response (Produce acks=0). Bytes that
 * cannot be a request raise {@link io.portcullis.parsers.kafka.KafkaProtocolException}: the proxy
 * closes the connection and nothing of the frame goes upstream.
 */
package io.portcullis.parsers.kafka;
