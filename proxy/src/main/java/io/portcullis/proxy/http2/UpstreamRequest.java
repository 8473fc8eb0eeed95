package io.portcullis.proxy.http2;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.portcullis.parsers.http2.ValidatedHttp2Request;
import io.portcullis.policy.model.HeaderAction;
import io.portcullis.proxy.policy.HeaderEdits;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The header block sent upstream for an allowed request: the client's fields with {@code :path}
 * replaced by the normalised path the policy judged, and the decision's header actions applied.
 * Actions never touch pseudo-headers or {@code content-length} (that would let policy change
 * what the request names or how it is framed), and field names are lower-cased as HTTP/2 requires.
 */
final class UpstreamRequest {
    private static final Set<String> PROTECTED = Set.of("content-length", "te", "host");
    private static final HeaderEdits EDITS = new HeaderEdits(name -> name.startsWith(":") || PROTECTED.contains(name),
            true);

    private UpstreamRequest() {
    }

    static Http2Headers headers(Http2Headers received, ValidatedHttp2Request request) {
        Http2Headers out = new DefaultHttp2Headers(false, received.size());
        for (Map.Entry<CharSequence, CharSequence> field : received) {
            out.add(field.getKey(), field.getValue());
        }
        out.path(request.path());
        return out;
    }

    /** @return a note naming logged or refused fields for the access log, or null */
    static String applyActions(List<HeaderAction> actions, Http2Headers headers) {
        return EDITS.apply(actions,
                new HeaderEdits.Fields(headers::contains, headers::add, headers::remove, headers::set));
    }
}
