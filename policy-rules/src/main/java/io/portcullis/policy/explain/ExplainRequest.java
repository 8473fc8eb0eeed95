package io.portcullis.policy.explain;

import io.portcullis.policy.resolve.Protocol;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A question for {@link PolicyExplainer}: may {@code source} reach {@code destination} on
 * {@code port}/{@code protocol}, and, if an HTTP method is given, may it send that request?
 *
 * @param source      labels ({@code app=web,env=prod}), a reserved entity ({@code world},
 *                    {@code host}, ...), an IPv4 address or a CIDR
 * @param destination the same forms as {@code source}
 * @param httpMethod  null to ask about the connection only
 * @param httpPath    the request path with query; required with {@code httpMethod}
 * @param headers     request headers (the host is {@code Host}); empty when none
 */
public record ExplainRequest(String source, String destination, int port, Protocol protocol, String httpMethod,
                             String httpPath, Map<String, List<String>> headers) {
    public ExplainRequest {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(protocol, "protocol");
        if ((httpMethod == null) != (httpPath == null)) {
            throw new IllegalArgumentException("an HTTP request needs both a method and a path");
        }
        headers = Map.copyOf(headers);
    }

    /** A question about the connection only. */
    public static ExplainRequest connection(String source, String destination, int port, Protocol protocol) {
        return new ExplainRequest(source, destination, port, protocol, null, null, Map.of());
    }

    /** The same question with an HTTP request. */
    public ExplainRequest withHttp(String method, String path, Map<String, List<String>> requestHeaders) {
        return new ExplainRequest(source, destination, port, protocol, method, path, requestHeaders);
    }
}
