/**
 * gRPC as the HTTP/2 proxy sees it: a request whose content type is {@code application/grpc*},
 * naming {@code /<service>/<method>} ({@link io.portcullis.proxy.grpc.GrpcCall}). Policy judges it
 * like any HTTP/2 request ({@code rules.grpc} are {@code POST /<service>/<method>} rules, plain HTTP
 * rules apply too); a denied call gets a trailers-only response with {@code grpc-status: 7}
 * ({@link io.portcullis.proxy.grpc.GrpcStatus}), never an HTTP 403, so clients see
 * PERMISSION_DENIED. The call's final status is read from the upstream's trailers for the access
 * log. Messages and streaming are relayed frame by frame by the HTTP/2 proxy, never decoded.
 */
package io.portcullis.proxy.grpc;
