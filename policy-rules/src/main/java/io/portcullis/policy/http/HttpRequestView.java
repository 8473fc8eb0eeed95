package io.portcullis.policy.http;

import java.util.List;

/**
 * What an HTTP rule may read of a request. The proxy adapts its parsed request to this; the
 * path is already normalised and still carries the query string, as Cilium matches {@code :path}.
 */
public interface HttpRequestView {
    String method();

    String path();

    /** The Host header (HTTP/1.1) or {@code :authority} (HTTP/2), empty when absent. */
    String host();

    /** All values of a header, name compared case-insensitively; empty when absent. */
    List<String> headers(String name);
}
