package io.portcullis.proxy.http2;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.portcullis.policy.model.HeaderAction;
import io.portcullis.policy.model.HeaderAction.Kind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class UpstreamRequestTest {
    @Test
    void actionsUseLowerCaseNamesAndNeverTouchPseudoHeadersOrFraming() {
        Http2Headers h = new DefaultHttp2Headers().method("GET").path("/a").authority("svc");
        h.add("x-keep", "1").add("x-del", "2").add("x-rep", "old").add("content-length", "0");
        String note = UpstreamRequest.applyActions(List.of(new HeaderAction(Kind.ADD, "X-New", "n"),
                new HeaderAction(Kind.ADD, "X-Keep", "ignored"), new HeaderAction(Kind.DELETE, "X-Del", ""),
                new HeaderAction(Kind.REPLACE, "X-Rep", "new"), new HeaderAction(Kind.LOG, "X-Audit", ""),
                new HeaderAction(Kind.REPLACE, ":path", "/admin"), new HeaderAction(Kind.DELETE, "Host", ""),
                new HeaderAction(Kind.DELETE, "Content-Length", "")), h);
        assertThat(h.get("x-new")).hasToString("n");
        assertThat(h.getAll("x-keep")).extracting(CharSequence::toString).containsExactly("1");
        assertThat(h.contains("x-del")).isFalse();
        assertThat(h.get("x-rep")).hasToString("new");
        assertThat(h.path()).hasToString("/a");
        assertThat(h.get("content-length")).hasToString("0");
        assertThat(note).isEqualTo("header mismatch X-Audit, refused REPLACE of :path, refused DELETE of Host,"
                + " refused DELETE of Content-Length");
    }
}
