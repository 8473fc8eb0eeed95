package io.portcullis.parsers.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Http2RequestValidatorTest {
    private static List<Map.Entry<String, String>> fields(String... nv) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (int i = 0; i < nv.length; i += 2) {
            out.add(Map.entry(nv[i], nv[i + 1]));
        }
        return out;
    }

    private static List<Map.Entry<String, String>> request(String path, String... extra) {
        List<Map.Entry<String, String>> out = fields(":method", "POST", ":scheme", "http", ":path", path,
                ":authority", "svc:80");
        out.addAll(fields(extra));
        return out;
    }

    @Test
    void normalisesThePathAndKeepsTheQuery() {
        ValidatedHttp2Request r = Http2RequestValidator.validate(request("/a//b/./../c?x=%2e", "content-type",
                "application/grpc+proto"), false);
        assertThat(r.path()).isEqualTo("/a/c?x=%2e");
        assertThat(r.authority()).isEqualTo("svc:80");
        assertThat(r.isGrpc()).isTrue();
        assertThat(r.endStream()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"application/grpc,true", "application/grpc;charset=utf-8,true", "application/grpc+json,true",
            "application/grpcx,false", "text/plain,false"})
    void grpcIsRecognisedByContentType(String contentType, boolean grpc) {
        assertThat(Http2RequestValidator.validate(request("/s/m", "content-type", contentType), true).isGrpc())
                .isEqualTo(grpc);
    }

    @Test
    void hostStandsInForAMissingAuthority() {
        ValidatedHttp2Request r = Http2RequestValidator.validate(fields(":method", "GET", ":scheme", "http",
                ":path", "/", "host", "h"), true);
        assertThat(r.authority()).isEqualTo("h");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "X-Upper|1|upper-case field name",
            "connection|close|connection-specific field connection",
            "te|gzip|te other than trailers",
            "content-length|1,2|duplicate or malformed content-length",
            "x-a|' lead'|leading or trailing whitespace in field x-a",
            ":foo|x|unknown or misplaced pseudo-header :foo",
            ":path|/again|duplicate :path"})
    void malformedFieldsAreRefused(String name, String value, String reason) {
        assertThatThrownBy(() -> Http2RequestValidator.validate(request("/p", name, value), true))
                .isInstanceOf(MalformedHttp2Exception.class).hasMessage(reason);
    }

    @Test
    void controlCharactersAndPathTricksAreRefused() {
        assertThatThrownBy(() -> Http2RequestValidator.validate(request("/p", "x-a", "a\r\nb"), true))
                .hasMessage("CR, LF or NUL in field x-a");
        assertThatThrownBy(() -> Http2RequestValidator.validate(request("/a%2fb"), true))
                .hasMessage("encoded slash or backslash in path");
        assertThatThrownBy(() -> Http2RequestValidator.validate(request(""), true)).hasMessage("empty :path");
        assertThatThrownBy(() -> Http2RequestValidator.validate(request("http://x/"), true))
                .hasMessage(":path must be origin-form");
        assertThatThrownBy(() -> Http2RequestValidator.validate(fields(":method", "GET", ":path", "/"), true))
                .hasMessage("missing :method, :scheme or :path");
        assertThatThrownBy(() -> Http2RequestValidator.validate(request("/", "host", "other"), true))
                .hasMessage("host differs from :authority");
    }

    @Test
    void trailersMayNotCarryPseudoHeaders() {
        Http2RequestValidator.validateTrailers(fields("grpc-status", "0"));
        assertThatThrownBy(() -> Http2RequestValidator.validateTrailers(fields(":path", "/x")))
                .hasMessage("pseudo-header :path in trailers");
    }

    @Test
    void anExtendedConnectOpensAWebSocketWithItsPathNormalisedAsAGet() {
        ValidatedHttp2Request r = Http2RequestValidator.validate(fields(":method", "CONNECT", ":protocol", "websocket",
                ":scheme", "http", ":path", "/chat/./room?x=1", ":authority", "svc:80"), false);
        assertThat(r.isWebSocket()).isTrue();
        assertThat(r.method()).isEqualTo("CONNECT");
        assertThat(r.path()).isEqualTo("/chat/room?x=1");
        assertThat(Http2RequestValidator.validate(request("/p"), true).isWebSocket()).isFalse();
    }

    @Test
    void connectIsRefusedUnlessItIsAWebSocketsExtendedConnect() {
        assertThatThrownBy(() -> Http2RequestValidator.validate(fields(":method", "CONNECT", ":authority", "svc:443"),
                true)).hasMessage("missing :method, :scheme or :path");
        assertThatThrownBy(() -> Http2RequestValidator.validate(fields(":method", "CONNECT", ":scheme", "http",
                ":path", "/", ":authority", "svc:80"), false)).hasMessage("CONNECT is not supported");
        assertThatThrownBy(() -> Http2RequestValidator.validate(request("/p", ":protocol", "websocket"), false))
                .hasMessage(":protocol on a POST request");
        assertThatThrownBy(() -> Http2RequestValidator.validate(fields(":method", "CONNECT", ":protocol", "connect-udp",
                ":scheme", "http", ":path", "/", ":authority", "svc:80"), false))
                .hasMessage("unsupported :protocol connect-udp");
    }
}
