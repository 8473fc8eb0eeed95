package io.portcullis.policy.model;

import io.portcullis.policy.http.HttpRequestView;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One {@code rules.grpc} item (a Portcullis extension): a fully qualified {@code service} and a
 * {@code method}, either of which may be omitted to mean "any". Over HTTP it is the rule
 * {@code POST /<service>/<method>}, so a gRPC-only port refuses other HTTP requests.
 */
public final class GrpcRule implements HttpRequestMatcher {
    private final String path;
    private final String service;
    private final String method;
    private final Pattern httpPath;

    /** {@code service} and {@code method} are null for "any"; callers validate their syntax. */
    public GrpcRule(String path, String service, String method) {
        this.path = path;
        this.service = service;
        this.method = method;
        this.httpPath = Pattern.compile("/" + (service == null ? "[^/]+" : Pattern.quote(service))
                + "/" + (method == null ? "[^/]+" : Pattern.quote(method)));
    }

    @Override
    public String path() {
        return path;
    }

    public String service() {
        return service;
    }

    public String method() {
        return method;
    }

    /** For the gRPC enforcement path, where service and method are already split. */
    public boolean matches(String callService, String callMethod) {
        return (service == null || service.equals(callService)) && (method == null || method.equals(callMethod));
    }

    @Override
    public boolean matches(HttpRequestView request) {
        return "POST".equals(request.method()) && httpPath.matcher(request.path()).matches();
    }

    @Override
    public boolean hasMismatchActions() {
        return false;
    }

    /** gRPC rules have no header matches, hence never header actions. */
    @Override
    public void collectHeaderActions(HttpRequestView request, List<HeaderAction> out) {
    }

    /** {@code POST /pkg.Service/Method}, with {@code *} for what is omitted. */
    @Override
    public String toString() {
        return "POST /" + (service == null ? "*" : service) + "/" + (method == null ? "*" : method);
    }
}
