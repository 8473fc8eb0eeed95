/**
 * Kafka enforcement, in the manner of Kroxylicious: the client's byte stream is cut into request
 * frames ({@code parsers.kafka}), each frame is judged by the connection's {@code rules.kafka}
 * (source egress and destination ingress in one pass), and an allowed frame is forwarded as its
 * unchanged wire bytes to a broker connection opened on the same event loop.
 *
 * <p>Contract:
 * <ul>
 *   <li><b>Protocol choice.</b> {@link io.portcullis.proxy.kafka.KafkaBranch} takes connections
 *       whose first byte cannot start HTTP. A port whose L7 rules are Kafka rules only accepts
 *       Kafka, a port with HTTP/gRPC rules refuses it; either mismatch is logged and closed. A port
 *       without L7 rules passes Kafka through, still framed, checked and logged per request.
 *   <li><b>Decode only what a rule reads.</b> Without topic rules a request is judged on its
 *       header (API key, version, client id) and its body is never parsed (Produce's {@code acks}
 *       is read from the front of the body: it says whether a response will come). With topic
 *       rules the body is parsed once; every topic named must be allowed, and a request whose
 *       topics cannot be listed (all topics, topic IDs, a fetch session, an API whose topics are
 *       not extracted) can only pass a rule without a topic.
 *   <li><b>Topic names stay visible.</b> The broker's ApiVersions response is capped
 *       ({@link io.portcullis.proxy.kafka.ApiVersionsCap}): every API to what kafka-clients 4.1
 *       knows, Produce and Fetch to v12 and OffsetCommit/OffsetFetch to v9, the last versions that
 *       name topics, so kafka-clients 4.1 (which sends Produce v13 and Fetch v13+ with topic IDs
 *       only) sends names. Under topic rules Fetch requests are made sessionless
 *       ({@link io.portcullis.proxy.kafka.SessionlessFetch}) so that each names all its topics. A
 *       request that still carries only topic IDs under topic rules is denied.
 *   <li><b>Deny in protocol, in order.</b> A denied request is not forwarded; the client gets the
 *       response a refusing broker would send ({@code KafkaErrorResponses.deny}), in request order
 *       with the responses of forwarded requests
 *       ({@link io.portcullis.proxy.kafka.ResponseQueue}). A denied {@code acks=0} Produce gets no
 *       response, only its log record. A denied Metadata lists the brokers
 *       ({@link io.portcullis.proxy.kafka.MetadataBrokers}), so the Java client reports the
 *       authorization error instead of retrying.
 *   <li><b>Fail closed.</b> Bad client input (frame size negative or too large, frame shorter than
 *       its header, unknown API key or version, a body that does not parse when it must be read) is
 *       logged once and closes the connection; nothing of that frame or any later one reaches the
 *       broker. A broker response whose correlation id is not the next one expected closes both
 *       connections. A policy error closes both.
 *   <li><b>Backpressure.</b> Auto-read off on both sides, reads resumed after writes as the
 *       channels' water marks allow; broker responses stream through as slices of the buffers
 *       read, except ApiVersions and Metadata, which the proxy reads whole.
 * </ul>
 *
 * <p>Access log: {@code l7Protocol: kafka}, a request record per decision and a response record
 * when a response is relayed or synthesised, with a {@code kafka} object (API name, version,
 * correlation id, client id, topics when decoded, the deny's or the broker's top-level error code).
 */
package io.portcullis.proxy.kafka;
