package io.portcullis.policy.model;

import java.util.List;

/**
 * The {@code rules} of a port rule. L7 rules only apply to TCP; a port rule carrying any of them
 * sends its connections through the proxy.
 */
public record L7Rules(List<HttpRule> http, List<KafkaRule> kafka, List<GrpcRule> grpc) {
    public static final L7Rules NONE = new L7Rules(List.of(), List.of(), List.of());

    public L7Rules {
        http = List.copyOf(http);
        kafka = List.copyOf(kafka);
        grpc = List.copyOf(grpc);
    }

    public boolean isEmpty() {
        return http.isEmpty() && kafka.isEmpty() && grpc.isEmpty();
    }
}
