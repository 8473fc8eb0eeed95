package io.portcullis.proxy.grpc;

/**
 * The method a gRPC request names: its {@code :path} is {@code /<service>/<method>} (gRPC over
 * HTTP/2 spec), service fully qualified ({@code pkg.Service}).
 *
 * @param service the service, or null when the path does not have that shape
 * @param method  the method, or null likewise
 */
public record GrpcCall(String service, String method) {

    /** Splits a normalised path (a query, unusual for gRPC, is ignored). */
    public static GrpcCall of(String path) {
        int q = path.indexOf('?');
        String p = q < 0 ? path : path.substring(0, q);
        int slash = p.indexOf('/', 1);
        if (!p.startsWith("/") || slash <= 1 || slash == p.length() - 1 || p.indexOf('/', slash + 1) >= 0) {
            return new GrpcCall(null, null);
        }
        return new GrpcCall(p.substring(1, slash), p.substring(slash + 1));
    }
}
