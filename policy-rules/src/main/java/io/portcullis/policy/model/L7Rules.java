package io.portcullis.policy.model;

import java.util.List;

/**
 * The {@code rules} of a port rule. HTTP, gRPC and Kafka rules only apply to TCP, and a port rule
 * carrying any of them sends its connections through the proxy; DNS rules ({@code rules.dns}, the
 * names an endpoint may look up) apply to UDP and TCP and send the queries through the agent's
 * DNS proxy.
 */
public record L7Rules(List<HttpRule> http, List<KafkaRule> kafka, List<GrpcRule> grpc, List<FqdnSelector> dns) {
    public static final L7Rules NONE = new L7Rules(List.of(), List.of(), List.of(), List.of());

    public L7Rules {
        http = List.copyOf(http);
        kafka = List.copyOf(kafka);
        grpc = List.copyOf(grpc);
        dns = List.copyOf(dns);
    }

    /** Rules without DNS rules. */
    public L7Rules(List<HttpRule> http, List<KafkaRule> kafka, List<GrpcRule> grpc) {
        this(http, kafka, grpc, List.of());
    }

    public boolean isEmpty() {
        return http.isEmpty() && kafka.isEmpty() && grpc.isEmpty() && dns.isEmpty();
    }
}
