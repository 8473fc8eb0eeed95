package io.portcullis.proxy.http2;

import io.netty.handler.codec.http2.Http2Headers;
import io.portcullis.parsers.http2.ValidatedHttp2Request;
import io.portcullis.policy.http.HttpRequestView;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** An HTTP/2 request as policy sees it: normalised {@code :path}, {@code :authority} as host (and as Host). */
record Http2RequestView(ValidatedHttp2Request request, Http2Headers headers) implements HttpRequestView {
    /** A WebSocket's extended CONNECT is judged as the GET of the HTTP/1.1 handshake it replaces. */
    @Override
    public String method() {
        return request.isWebSocket() ? "GET" : request.method();
    }

    @Override
    public String path() {
        return request.path();
    }

    @Override
    public String host() {
        return request.authority();
    }

    /**
     * A field's values; {@code host} is the effective authority ({@code :authority}, or the Host
     * field standing in for it), which is what an HTTP/2 upstream reads as the request's Host.
     */
    @Override
    public List<String> headers(String name) {
        if ("host".equalsIgnoreCase(name)) {
            return request.authority().isEmpty() ? List.of() : List.of(request.authority());
        }
        List<CharSequence> values = headers.getAll(name.toLowerCase(Locale.ROOT));
        List<String> out = new ArrayList<>(values.size());
        for (CharSequence value : values) {
            out.add(value.toString());
        }
        return out;
    }
}
