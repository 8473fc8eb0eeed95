package io.portcullis.parsers.http1;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StrictHttpRequestDecoderTest {

    private static List<Object> decode(String input) {
        EmbeddedChannel channel = new EmbeddedChannel(new StrictHttpRequestDecoder(100, 200, 8192));
        channel.writeInbound(Unpooled.copiedBuffer(input, StandardCharsets.ISO_8859_1));
        List<Object> out = new ArrayList<>();
        for (Object o; (o = channel.readInbound()) != null; ) {
            out.add(o);
        }
        channel.finishAndReleaseAll();
        return out;
    }

    /** Runs the decoder and the validator, as the proxy does; returns the status or 0 when valid. */
    private static int verdict(String input) {
        for (Object o : decode(input)) {
            try {
                if (o instanceof HttpRequest) {
                    Http1RequestValidator.validate((HttpRequest) o);
                } else if (o instanceof HttpContent && ((HttpContent) o).decoderResult().isFailure()) {
                    return Rejections.of(((HttpContent) o).decoderResult().cause()).status();
                }
            } catch (BadRequestException e) {
                return e.status();
            } finally {
                ReferenceCountUtil.release(o);
            }
        }
        return 0;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "ok                 | GET / HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n                                       | 0",
            "http/1.0 no host   | GET / HTTP/1.0\\r\\n\\r\\n                                                  | 0",
            "leading CRLF       | \\r\\nGET / HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n                                 | 0",
            "chunked            | POST / HTTP/1.1\\r\\nHost: h\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n1\\r\\na\\r\\n0\\r\\n\\r\\n | 0",
            "CL+TE              | POST / HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: 3\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n | 400",
            "dup CL identical   | POST / HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: 3\\r\\nContent-Length: 3\\r\\n\\r\\nabc | 400",
            "CL list            | POST / HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: 3, 3\\r\\n\\r\\nabc             | 400",
            "CL plus sign       | POST / HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: +3\\r\\n\\r\\nabc               | 400",
            "CL negative        | POST / HTTP/1.1\\r\\nHost: h\\r\\nContent-Length: -1\\r\\n\\r\\n                  | 400",
            "TE gzip            | POST / HTTP/1.1\\r\\nHost: h\\r\\nTransfer-Encoding: gzip\\r\\n\\r\\nabc           | 400",
            "TE gzip chunked    | POST / HTTP/1.1\\r\\nHost: h\\r\\nTransfer-Encoding: gzip, chunked\\r\\n\\r\\n0\\r\\n\\r\\n | 400",
            "TE Chunked         | POST / HTTP/1.1\\r\\nHost: h\\r\\nTransfer-Encoding: Chunked\\r\\n\\r\\n0\\r\\n\\r\\n | 400",
            "TE twice           | POST / HTTP/1.1\\r\\nHost: h\\r\\nTransfer-Encoding: chunked\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n | 400",
            "TE in 1.0          | POST / HTTP/1.0\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n           | 400",
            "obs-fold           | GET / HTTP/1.1\\r\\nHost: h\\r\\nX-A: a\\r\\n b\\r\\n\\r\\n                       | 400",
            "obs-fold tab       | GET / HTTP/1.1\\r\\nHost: h\\r\\nX-A: a\\r\\n\\tb\\r\\n\\r\\n                      | 400",
            "first line ws      | GET / HTTP/1.1\\r\\n Host: h\\r\\n\\r\\n                                      | 400",
            "bare LF            | GET / HTTP/1.1\\nHost: h\\n\\n                                               | 400",
            "bare LF in headers | GET / HTTP/1.1\\r\\nHost: h\\nX: y\\r\\n\\r\\n                                | 400",
            "bare CR in value   | GET / HTTP/1.1\\r\\nHost: h\\r\\nX: a\\rb\\r\\n\\r\\n                          | 400",
            "bad header name    | GET / HTTP/1.1\\r\\nHost: h\\r\\nX(y): 1\\r\\n\\r\\n                          | 400",
            "space before colon | GET / HTTP/1.1\\r\\nHost: h\\r\\nX-y : 1\\r\\n\\r\\n                         | 400",
            "no colon           | GET / HTTP/1.1\\r\\nHost: h\\r\\nXy\\r\\n\\r\\n                               | 400",
            "NUL in value       | GET / HTTP/1.1\\r\\nHost: h\\r\\nX: a\\u0000b\\r\\n\\r\\n                      | 400",
            "double space line  | GET  / HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n                                      | 400",
            "ctl in target      | GET /a\\u0001b HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n                               | 400",
            "HTTP/2.0           | GET / HTTP/2.0\\r\\nHost: h\\r\\n\\r\\n                                       | 505",
            "bad version        | GET / HTTP/1.10\\r\\nHost: h\\r\\n\\r\\n                                      | 400",
            "encoded slash      | GET /a%2Fb HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n                                  | 400",
            "backslash          | GET /a\\\\b HTTP/1.1\\r\\nHost: h\\r\\n\\r\\n                                   | 400",
            "missing host       | GET / HTTP/1.1\\r\\n\\r\\n                                                  | 400",
            "two hosts          | GET / HTTP/1.1\\r\\nHost: a\\r\\nHost: b\\r\\n\\r\\n                           | 400",
            "bad host           | GET / HTTP/1.1\\r\\nHost: a b\\r\\n\\r\\n                                     | 400",
            "bad chunk size     | POST / HTTP/1.1\\r\\nHost: h\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\nzz\\r\\n | 400",
            "long request line  | GET /aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa HTTP/1.1\\r\\n\\r\\n | 414",
    })
    void judges(String name, String input, int status) {
        assertThat(verdict(unescape(input))).isEqualTo(status);
    }

    @Test
    void oversizedRequestLineFailsBeforeLineEnds() {
        assertThat(verdict("GET /" + "a".repeat(150))).isEqualTo(414);
    }

    @Test
    void oversizedHeaderBlockIs431() {
        assertThat(verdict("GET / HTTP/1.1\r\nHost: h\r\nX: " + "a".repeat(250) + "\r\n\r\n")).isEqualTo(431);
        assertThat(verdict("GET / HTTP/1.1\r\nHost: h\r\n" + "X: aaaaaaaaaa\r\n".repeat(20))).isEqualTo(431);
    }

    @Test
    void pipelinedRequestsAreEachScanned() {
        List<Object> out = decode("GET /1 HTTP/1.1\r\nHost: h\r\n\r\n"
                + "POST /2 HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\n\r\n X"
                + "GET /3 HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\n");
        // The body of /2 starts with CRLF SP: it is body, not a fold; /3 carries a real fold.
        assertThat(out).hasSize(5);
        assertThat(((HttpRequest) out.get(2)).uri()).isEqualTo("/2");
        assertThat(((LastHttpContent) out.get(3)).content().toString(StandardCharsets.ISO_8859_1)).isEqualTo("\r\n X");
        HttpRequest third = (HttpRequest) out.get(4);
        assertThat(third.decoderResult().isFailure()).isTrue();
        assertThat(Rejections.of(third.decoderResult().cause()).reason()).contains("obs-fold");
        out.forEach(ReferenceCountUtil::release);
    }

    @Test
    void headSplitAcrossReadsIsReassembled() {
        EmbeddedChannel channel = new EmbeddedChannel(new StrictHttpRequestDecoder(100, 200, 8192));
        String head = "GET /x HTTP/1.1\r\nHost: h\r\nAccept: */*\r\n\r\n";
        for (char c : head.toCharArray()) {
            channel.writeInbound(Unpooled.copiedBuffer(new byte[]{(byte) c}));
        }
        HttpRequest request = channel.readInbound();
        assertThat(request.decoderResult().isSuccess()).isTrue();
        assertThat(request.headers().get("Accept")).isEqualTo("*/*");
        assertThat((Object) channel.readInbound()).isInstanceOf(LastHttpContent.class);
        channel.finishAndReleaseAll();
    }

    @Test
    void everythingAfterAFailureIsDiscarded() {
        List<Object> out = decode("GET / HTTP/1.1\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\n");
        assertThat(out).hasSize(1);
        out.forEach(ReferenceCountUtil::release);
    }

    private static String unescape(String s) {
        return s.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t")
                .replace("\\u0000", "\u0000").replace("\\u0001", "\u0001").replace("\\\\", "\\");
    }
}
