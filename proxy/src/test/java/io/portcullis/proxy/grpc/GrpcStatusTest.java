package io.portcullis.proxy.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import org.junit.jupiter.api.Test;

class GrpcStatusTest {
    @Test
    void messageIsPercentEncodedPerTheGrpcSpec() {
        assertThat(GrpcStatus.percentEncode("Access denied")).isEqualTo("Access denied");
        assertThat(GrpcStatus.percentEncode("50% off\r\n")).isEqualTo("50%25 off%0D%0A");
        assertThat(GrpcStatus.percentEncode("größer")).isEqualTo("gr%C3%B6%C3%9Fer");
    }

    @Test
    void trailersOnlyDenyCarriesStatusSevenUnderHttp200() {
        Http2Headers h = GrpcStatus.trailersOnly(GrpcStatus.PERMISSION_DENIED, "Access denied");
        assertThat(h.status().toString()).isEqualTo("200");
        assertThat(h.get("content-type").toString()).isEqualTo("application/grpc");
        assertThat(h.get("grpc-status").toString()).isEqualTo("7");
        assertThat(h.get("grpc-message").toString()).isEqualTo("Access denied");
        assertThat(GrpcStatus.of(h)).isEqualTo(7);
        assertThat(GrpcStatus.of(new DefaultHttp2Headers())).isNull();
        assertThat(GrpcStatus.of(new DefaultHttp2Headers().set("grpc-status", "x"))).isNull();
    }

    @Test
    void callIsSplitFromThePath() {
        assertThat(GrpcCall.of("/pkg.Svc/Method")).isEqualTo(new GrpcCall("pkg.Svc", "Method"));
        assertThat(GrpcCall.of("/pkg.Svc/Method?x")).isEqualTo(new GrpcCall("pkg.Svc", "Method"));
        assertThat(GrpcCall.of("/only")).isEqualTo(new GrpcCall(null, null));
        assertThat(GrpcCall.of("/a/b/c")).isEqualTo(new GrpcCall(null, null));
        assertThat(GrpcCall.of("/a/")).isEqualTo(new GrpcCall(null, null));
    }
}
