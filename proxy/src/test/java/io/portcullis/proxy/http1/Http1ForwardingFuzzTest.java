package io.portcullis.proxy.http1;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.portcullis.parsers.http1.BadRequestException;
import io.portcullis.parsers.http1.Http1RequestValidator;
import io.portcullis.parsers.http1.StrictHttpRequestDecoder;
import io.portcullis.parsers.http1.ValidatedRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Fuzzes the HTTP/1.1 head scanner, Netty's strict decoder behind it and the request validator
 * with arbitrary client bytes, as one connection. Properties: the only failure is a
 * {@link BadRequestException} with a status the proxy answers; and whatever the proxy forwards
 * (each valid head prepared by {@link UpstreamHead}, re-encoded by Netty as the upstream pipeline
 * does, then its body) is read by an independent, default-configured {@link HttpRequestDecoder}
 * as exactly the requests policy judged: same count, method, target, Host, fields and body bytes.
 * Seeds: {@code Http1ForwardingFuzzTestInputs/}.
 */
class Http1ForwardingFuzzTest {
    private static final int MAX_REQUEST_LINE = 1024;
    private static final int MAX_HEADER_BYTES = 2048;
    private static final Set<Integer> ANSWERED = Set.of(400, 413, 414, 431, 501, 505);

    /** What policy judged, and what the upstream read, of one request. */
    private record Head(String method, String uri, String host, List<String> fields, String body) {
    }

    @FuzzTest(maxDuration = "60s")
    void forwardedRequestsReadAsJudged(byte[] input) {
        List<Head> judged = new ArrayList<>();
        ByteBuf forwarded = forward(input, judged);
        try {
            assertThat(upstreamRead(forwarded)).isEqualTo(judged);
        } finally {
            forwarded.release();
        }
    }

    /** Runs the proxy's side; returns the bytes sent upstream and fills {@code judged}. */
    private static ByteBuf forward(byte[] input, List<Head> judged) {
        EmbeddedChannel downstream = new EmbeddedChannel(
                new StrictHttpRequestDecoder(MAX_REQUEST_LINE, MAX_HEADER_BYTES, 8192));
        EmbeddedChannel encoder = new EmbeddedChannel(new HttpRequestEncoder());
        downstream.writeInbound(Unpooled.wrappedBuffer(input));
        boolean forwarding = true;
        StringBuilder body = null;
        Head head = null;
        for (Object msg; (msg = downstream.readInbound()) != null; ) {
            HttpObject object = (HttpObject) msg;
            if (!forwarding) {
                ReferenceCountUtil.release(msg);
                continue;
            }
            if (msg instanceof HttpRequest request) {
                ValidatedRequest validated;
                try {
                    validated = Http1RequestValidator.validate(request);
                } catch (BadRequestException e) {
                    assertThat(ANSWERED).contains(e.status());
                    ReferenceCountUtil.release(msg);
                    forwarding = false;   // answered and closed: nothing more goes upstream
                    continue;
                }
                UpstreamHead.prepare(request, validated);
                head = new Head(validated.method(), validated.url(), validated.host(), fields(request), null);
                assertThat(request.uri()).isEqualTo(validated.url());
                body = new StringBuilder();
                // Set after the verdict, like the proxy: hop-by-hop, so not a field policy can name.
                request.headers().remove(HttpHeaderNames.CONNECTION);
            } else if (object.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                forwarding = false;
                continue;
            }
            if (msg instanceof HttpContent content) {
                body.append(content.content().toString(StandardCharsets.ISO_8859_1));
            }
            if (msg instanceof LastHttpContent) {
                judged.add(new Head(head.method(), head.uri(), head.host(), head.fields(), body.toString()));
            }
            encoder.writeOutbound(msg);
        }
        downstream.finishAndReleaseAll();
        ByteBuf out = Unpooled.buffer();
        for (Object bytes; (bytes = encoder.readOutbound()) != null; ) {
            out.writeBytes((ByteBuf) bytes);
            ((ByteBuf) bytes).release();
        }
        encoder.finishAndReleaseAll();
        return out;
    }

    /** The complete requests a default Netty decoder reads from {@code forwarded}. */
    private static List<Head> upstreamRead(ByteBuf forwarded) {
        EmbeddedChannel upstream = new EmbeddedChannel(new HttpRequestDecoder());
        upstream.writeInbound(forwarded.retainedDuplicate());
        List<Head> read = new ArrayList<>();
        Head head = null;
        StringBuilder body = null;
        for (Object msg; (msg = upstream.readInbound()) != null; ) {
            assertThat(((HttpObject) msg).decoderResult().isSuccess())
                    .as("upstream decoder result of %s", msg).isTrue();
            if (msg instanceof HttpRequest request) {
                List<String> hosts = request.headers().getAll(HttpHeaderNames.HOST);
                assertThat(hosts).hasSizeLessThanOrEqualTo(1);
                head = new Head(request.method().name(), request.uri(), hosts.isEmpty() ? "" : hosts.get(0),
                        fields(request), null);
                body = new StringBuilder();
            }
            if (msg instanceof HttpContent content) {
                body.append(content.content().toString(StandardCharsets.ISO_8859_1));
            }
            if (msg instanceof LastHttpContent) {
                read.add(new Head(head.method(), head.uri(), head.host(), head.fields(), body.toString()));
            }
            ReferenceCountUtil.release(msg);
        }
        upstream.finishAndReleaseAll();
        return read;
    }

    private static List<String> fields(HttpRequest request) {
        List<String> fields = new ArrayList<>();
        for (Map.Entry<String, String> field : request.headers()) {
            if (!field.getKey().equalsIgnoreCase("connection")) {
                fields.add(field.getKey().toLowerCase(Locale.ROOT) + ": " + field.getValue());
            }
        }
        return fields;
    }
}
