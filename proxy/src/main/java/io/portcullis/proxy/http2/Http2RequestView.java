package io.portcullis.proxy.http2;

import io.netty.handler.codec.http2.Http2Headers;
import io.portcullis.parsers.http2.ValidatedHttp2Request;
import io.portcullis.policy.http.HttpRequestView;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** An HTTP/2 request as policy sees it: normalised {@code :path}, {@code :authority} as host. */
final class Http2RequestView implements HttpRequestView {
    private final ValidatedHttp2Request request;
    private final Http2Headers headers;

    Http2RequestView(ValidatedHttp2Request request, Http2Headers headers) {
        this.request = request;
        this.headers = headers;
    }

    @Override
    public String method() {
        return request.method();
    }

    @Override
    public String path() {
        return request.path();
    }

    @Override
    public String host() {
        return request.authority();
    }

    @Override
    public List<String> headers(String name) {
        List<CharSequence> values = headers.getAll(name.toLowerCase(Locale.ROOT));
        List<String> out = new ArrayList<>(values.size());
        for (CharSequence value : values) {
            out.add(value.toString());
        }
        return out;
    }
}
