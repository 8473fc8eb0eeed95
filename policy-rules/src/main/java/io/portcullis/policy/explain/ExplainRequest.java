package io.portcullis.policy.explain;

import io.portcullis.policy.http.SimpleHttpRequest;
import io.portcullis.policy.kafka.SimpleKafkaRequest;
import io.portcullis.policy.model.Protocol;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A question for {@link PolicyExplainer}: may {@code source} reach {@code destination} on
 * {@code port}/{@code protocol}, and, if a request is given (HTTP, gRPC or Kafka), may it send it?
 *
 * @param source               labels ({@code app=web,env=prod}), a reserved entity
 *                             ({@code world}, {@code host}, ...), an IPv4 address or a CIDR
 * @param sourceNamespace      the namespace of a source given by labels; null for {@code default}
 * @param destination          the same forms as {@code source}
 * @param destinationNamespace likewise for the destination
 * @param port                 the destination port, or the ICMP type for ICMP
 * @param http                 an HTTP request (a gRPC call is one, see {@link #grpc}); null when none
 * @param grpc                 whether {@code http} is a gRPC call, for the wording
 * @param kafka                a Kafka request; null when none
 */
public record ExplainRequest(String source, String sourceNamespace, String destination, String destinationNamespace,
                             int port, Protocol protocol, SimpleHttpRequest http, boolean grpc,
                             SimpleKafkaRequest kafka) {
    public ExplainRequest {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(protocol, "protocol");
        if (http != null && kafka != null) {
            throw new IllegalArgumentException("ask about one request: HTTP, gRPC or Kafka");
        }
    }

    /** A question about the connection only. */
    public static ExplainRequest connection(String source, String destination, int port, Protocol protocol) {
        return new ExplainRequest(source, null, destination, null, port, protocol, null, false, null);
    }

    /** The same question with sides given by labels in these namespaces (null: {@code default}). */
    public ExplainRequest inNamespaces(String sourceNs, String destinationNs) {
        return new ExplainRequest(source, sourceNs, destination, destinationNs, port, protocol, http, grpc, kafka);
    }

    /** The same question with an HTTP request. */
    public ExplainRequest withHttp(String method, String path, Map<String, List<String>> headers) {
        return new ExplainRequest(source, sourceNamespace, destination, destinationNamespace, port, protocol,
                new SimpleHttpRequest(method, path, headers), false, null);
    }

    /** The same question with a gRPC call: {@code POST /service/method} with a gRPC content type. */
    public ExplainRequest withGrpc(String service, String method) {
        return new ExplainRequest(source, sourceNamespace, destination, destinationNamespace, port, protocol,
                new SimpleHttpRequest("POST", "/" + service + "/" + method,
                        Map.of("content-type", List.of("application/grpc"))), true, null);
    }

    /** The same question with a Kafka request. */
    public ExplainRequest withKafka(SimpleKafkaRequest request) {
        return new ExplainRequest(source, sourceNamespace, destination, destinationNamespace, port, protocol, null,
                false, request);
    }
}
