package io.portcullis.proxy.http2;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersEncoder;
import io.portcullis.parsers.http2.MalformedHttp2Exception;
import io.portcullis.parsers.http2.Http2RequestValidator;
import io.portcullis.parsers.http2.ValidatedHttp2Request;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes the HTTP/2 request validator with header blocks as the listener receives them: built
 * from fuzz data, HPACK-encoded, then decoded by Netty's validating decoder (what the codec does
 * before the validator sees them). Properties: the only failures are Netty's {@link Http2Exception}
 * and the validator's {@link MalformedHttp2Exception}; and the block the proxy forwards
 * ({@link UpstreamRequest#headers}), HPACK-encoded and decoded again by an independent decoder as
 * the upstream does, names the method, path and authority policy judged and carries the same
 * regular fields. Seeds: {@code Http2ForwardingFuzzTestInputs/}.
 */
class Http2ForwardingFuzzTest {
    private static final String[] NAMES = {":method", ":scheme", ":path", ":authority", ":status", ":protocol",
        "host", "content-length", "content-type", "te", "connection", "transfer-encoding", "cookie", "x-user",
        "Host", "upgrade", "keep-alive"};
    private static final String[] VALUES = {"GET", "POST", "CONNECT", "OPTIONS", "http", "https", "/", "/a/../b?q=1",
        "*", "example.com", "example.com:8080", "trailers", "chunked", "0", "12", "application/grpc", "a, b"};

    @FuzzTest(maxDuration = "60s")
    void forwardedHeadersReadAsJudged(FuzzedDataProvider data) throws Http2Exception {
        boolean endStream = data.consumeBoolean();
        Http2Headers sent = new DefaultHttp2Headers(false);
        int count = data.consumeInt(0, 12);
        for (int i = 0; i < count; i++) {
            String name = data.consumeBoolean() ? data.pickValue(NAMES) : data.consumeString(16);
            String value = data.consumeBoolean() ? data.pickValue(VALUES) : data.consumeString(40);
            sent.add(name, value);
        }
        Http2Headers received;
        try {
            received = hpackRoundTrip(sent);
        } catch (Http2Exception refusedByCodec) {
            return;
        }
        ValidatedHttp2Request judged;
        try {
            judged = Http2RequestValidator.validate(received, endStream);
        } catch (MalformedHttp2Exception reset) {
            return;
        }
        Http2Headers upstream = hpackRoundTrip(UpstreamRequest.headers(received, judged));
        assertThat(upstream.method().toString()).isEqualTo(judged.method());
        assertThat(upstream.path().toString()).isEqualTo(judged.path());
        assertThat(upstream.scheme().toString()).isEqualTo(judged.scheme());
        CharSequence host = upstream.get("host");
        CharSequence authority = upstream.authority() != null ? upstream.authority() : host;
        assertThat(authority == null ? "" : authority.toString()).isEqualTo(judged.authority());
        if (host != null) {
            assertThat(host.toString()).isEqualTo(judged.authority());
        }
        assertThat(regularFields(upstream)).isEqualTo(regularFields(received));
    }

    /** Encodes {@code headers} as a peer would and decodes them as Netty's codec does. */
    private static Http2Headers hpackRoundTrip(Http2Headers headers) throws Http2Exception {
        ByteBuf block = Unpooled.buffer();
        try {
            new DefaultHttp2HeadersEncoder(Http2HeadersEncoder.NEVER_SENSITIVE, false)
                    .encodeHeaders(1, headers, block);
            return new DefaultHttp2HeadersDecoder(true).decodeHeaders(1, block);
        } finally {
            block.release();
        }
    }

    private static List<String> regularFields(Http2Headers headers) {
        List<String> fields = new ArrayList<>();
        for (Map.Entry<CharSequence, CharSequence> field : headers) {
            if (field.getKey().length() == 0 || field.getKey().charAt(0) != ':') {
                fields.add(field.getKey() + ": " + field.getValue());
            }
        }
        return fields;
    }
}
