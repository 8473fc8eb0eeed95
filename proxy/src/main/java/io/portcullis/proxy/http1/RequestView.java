package io.portcullis.proxy.http1;

import io.netty.handler.codec.http.HttpHeaders;
import io.portcullis.parsers.http1.ValidatedRequest;
import io.portcullis.policy.http.HttpRequestView;

import java.util.List;

/** The request as policy sees it: normalised URL, and the fields that will be forwarded. */
record RequestView(ValidatedRequest request, HttpHeaders headers) implements HttpRequestView {
    @Override
    public String method() {
        return request.method();
    }

    @Override
    public String path() {
        return request.url();
    }

    @Override
    public String host() {
        return request.host();
    }

    @Override
    public List<String> headers(String name) {
        return headers.getAll(name);
    }
}
